package dev.switchboard.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stream points of {@code benchmarks/run.sh}, with the gateway as a separate process:
 *
 * <ul>
 *   <li>{@code sse-upstream PORT}: an engine stand-in that answers every POST with a server-sent
 *       event at once; with {@code ?hold=1} it then holds the stream open until the client leaves
 *       (counted, {@code GET /open} tells how many are open), otherwise it ends the stream.
 *   <li>{@code streams DIRECT GATEWAY N PID}: time to the first event directly vs through the
 *       gateway, then N held streams through the gateway at once, the gateway's live heap (after a
 *       full GC), threads and RSS while they are open, and whether the engine saw every stream
 *       cancelled once the clients left. Prints markdown.
 * </ul>
 */
final class StreamBench {
    private static final byte[] EVENT =
            "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicInteger OPEN = new AtomicInteger();

    private StreamBench() {}

    // ---- the upstream ----

    static void upstream(int port) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", port), 20_000);
            var threads = Executors.newVirtualThreadPerTaskExecutor();
            while (true) {
                Socket socket = server.accept();
                threads.submit(() -> serve(socket));
            }
        }
    }

    private static Void serve(Socket socket) throws IOException {
        try (socket) {
            socket.setTcpNoDelay(true);
            // buffered, as engines read: byte-at-a-time socket reads would charge the gateway's
            // longer request head (its forwarded headers) at a system call per byte
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            String head;
            while ((head = readHead(in)) != null) {
                String requestLine = head.substring(0, head.indexOf('\r'));
                in.readNBytes(contentLength(head));
                if (requestLine.startsWith("GET /open")) {
                    byte[] body = Integer.toString(OPEN.get()).getBytes(StandardCharsets.US_ASCII);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                                    + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    return null; // asked with Connection: close
                }
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                chunk(out, EVENT);
                out.flush();
                if (requestLine.contains("hold=1")) {
                    OPEN.incrementAndGet();
                    try {
                        while (in.read() != -1) {
                            // held until the gateway closes the stream
                        }
                    } finally {
                        OPEN.decrementAndGet();
                    }
                    return null;
                }
                chunk(out, "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // the gateway went away
        }
        return null;
    }

    private static void chunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** The request or response head up to the blank line, or null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 3) == '\n' && head.charAt(n - 2) == '\r') {
                return head.toString();
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).trim());
            }
        }
        return 0;
    }

    // ---- the client ----

    static void measure(URI direct, URI gateway, int streams, long gatewayPid) throws Exception {
        int samples = 1000;
        warmUp(direct, gateway);
        List<Long> directNanos = new ArrayList<>();
        List<Long> gatewayNanos = new ArrayList<>();
        for (int i = 0; i < samples; i++) { // interleaved, so machine noise hits both alike
            directNanos.add(firstEvent(direct, false));
            gatewayNanos.add(firstEvent(gateway, false));
        }
        LatencyStats d = LatencyStats.of("engine directly", directNanos, java.time.Duration.ZERO);
        LatencyStats g = LatencyStats.of("through the gateway", gatewayNanos, java.time.Duration.ZERO);
        System.out.println(
                "Time to the first event of a stream (new connection each, " + samples + " interleaved samples):");
        System.out.println();
        System.out.println("| path | p50 ms | p99 ms |");
        System.out.println("|---|---|---|");
        System.out.printf(Locale.ROOT, "| engine directly | %.2f | %.2f |%n", d.p50Millis(), d.p99Millis());
        System.out.printf(Locale.ROOT, "| through the gateway | %.2f | %.2f |%n", g.p50Millis(), g.p99Millis());
        System.out.printf(Locale.ROOT, "%nAdded time to first byte: p50 +%.2f ms.%n%n", g.p50Millis() - d.p50Millis());

        ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
        CountDownLatch opened = new CountDownLatch(streams);
        AtomicInteger failed = new AtomicInteger();
        Semaphore connecting = new Semaphore(256);
        long t0 = System.nanoTime();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < streams; i++) {
                threads.submit(() -> {
                    connecting.acquireUninterruptibly();
                    try {
                        open.add(openHeld(gateway));
                    } catch (IOException e) {
                        failed.incrementAndGet();
                    } finally {
                        connecting.release();
                        opened.countDown();
                    }
                });
            }
            opened.await(300, TimeUnit.SECONDS);
            long openMillis = (System.nanoTime() - t0) / 1_000_000;
            int engineOpen = engineOpen(direct);
            run("jcmd", Long.toString(gatewayPid), "GC.run");
            String heap = liveHeapMb(gatewayPid);
            String threadsAndRss = procStatus(gatewayPid);
            for (Socket socket : open) {
                socket.close();
            }
            int left = engineOpen(direct);
            for (int i = 0; i < 600 && left > 0; i++) {
                Thread.sleep(100);
                left = engineOpen(direct);
            }
            System.out.printf(
                    Locale.ROOT,
                    "Idle streams held open by the engine, through a gateway with `-Xmx512m`:%n%n"
                            + "| streams asked | open at the client | open at the engine | failed | opened in s "
                            + "| gateway live heap MB (after full GC) | gateway %s | engine streams left 10 s "
                            + "after the clients closed |%n|---|---|---|---|---|---|---|---|%n"
                            + "| %d | %d | %d | %d | %.1f | %s | %s | %d |%n",
                    "threads / RSS MB",
                    streams,
                    open.size(),
                    engineOpen,
                    failed.get(),
                    openMillis / 1000.0,
                    heap,
                    threadsAndRss,
                    left);
        }
    }

    /**
     * Interleaved rounds on both paths until the gateway's median stops improving: the JIT compiles
     * the per-connection path (a new connection for every stream) only after some ten thousand
     * requests on two cores, and its compilations would otherwise share the cores with the samples.
     * The first request after a start is measured on its own, cold.
     */
    private static void warmUp(URI direct, URI gateway) throws IOException {
        long best = Long.MAX_VALUE;
        int stale = 0;
        for (int round = 0; round < 40 && stale < 3; round++) {
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                firstEvent(direct, false);
                nanos.add(firstEvent(gateway, false));
            }
            long median = nanos.stream().sorted().toList().get(nanos.size() / 2);
            stale = median < best * 97 / 100 ? 0 : stale + 1;
            best = Math.min(best, median);
        }
    }

    /** Nanoseconds from sending a stream request to reading its first event. */
    private static long firstEvent(URI target, boolean hold) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = connect(target, hold)) {
            awaitEvent(socket.getInputStream());
            return System.nanoTime() - start;
        }
    }

    private static Socket openHeld(URI target) throws IOException {
        Socket socket = connect(target, true);
        try {
            awaitEvent(socket.getInputStream());
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static Socket connect(URI target, boolean hold) throws IOException {
        Socket socket = new Socket(target.getHost(), target.getPort());
        socket.setTcpNoDelay(true);
        byte[] body = "{\"model\":\"bench\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.US_ASCII);
        String head = "POST /v1/chat/completions" + (hold ? "?hold=1" : "") + " HTTP/1.1\r\nHost: "
                + target.getHost() + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        return socket;
    }

    /** Reads until the first "data:" line has arrived. */
    private static void awaitEvent(InputStream in) throws IOException {
        byte[] marker = "data:".getBytes(StandardCharsets.US_ASCII);
        int matched = 0;
        int b;
        while ((b = in.read()) != -1) {
            matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
            if (matched == marker.length) {
                return;
            }
        }
        throw new IOException("stream ended before its first event");
    }

    private static int engineOpen(URI direct) throws IOException {
        try (Socket socket = new Socket(direct.getHost(), direct.getPort())) {
            socket.getOutputStream()
                    .write("GET /open HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return Integer.parseInt(
                    answer.substring(answer.indexOf("\r\n\r\n") + 4).trim());
        }
    }

    /** Used heap from jstat's capacity columns (S0U S1U EU OU), in MB. */
    private static String liveHeapMb(long pid) throws IOException, InterruptedException {
        String[] lines = run("jstat", "-gc", Long.toString(pid)).trim().split("\n");
        if (lines.length < 2) {
            return "?";
        }
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return String.format(Locale.ROOT, "%.0f", kb / 1024);
    }

    private static String procStatus(long pid) throws IOException {
        String threads = "?";
        String rss = "?";
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) {
                threads = line.substring(8).trim();
            } else if (line.startsWith("VmRSS:")) {
                rss = Long.toString(Long.parseLong(line.replaceAll("\\D", "")) / 1024);
            }
        }
        return threads + " / " + rss;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        String[] withJdk = command.clone();
        withJdk[0] = java.nio.file.Path.of(System.getProperty("java.home"), "bin", command[0])
                .toString();
        Process process = new ProcessBuilder(withJdk).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }
}
