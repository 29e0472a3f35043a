package dev.switchboard.core.forward.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.core.forward.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive pool as engines see it: connections reused, held to a limit, and closed for an
 * engine about to exit.
 */
class Http1ClientPoolTest {
    private final Http1Client client = new Http1Client(Duration.ofSeconds(5));
    private final Engine first = new Engine();
    private final Engine second = new Engine();

    @AfterEach
    void stop() throws IOException {
        client.close();
        first.close();
        second.close();
    }

    @Test
    void reusesAnIdleConnection() throws Exception {
        assertThat(get(first)).isEqualTo("ok");
        assertThat(get(first)).isEqualTo("ok");

        assertThat(first.accepted.get()).isEqualTo(1);
    }

    @Test
    void closesTheIdleConnectionsToOneEngineAndKeepsTheOthers() throws Exception {
        get(first);
        get(second);

        client.closeIdle(URI.create(first.base() + "/v1"));

        assertThat(first.closed.poll(10, TimeUnit.SECONDS))
                .as("the engine saw its connection end")
                .isNotNull();
        get(first);
        get(second);
        assertThat(first.accepted.get()).isEqualTo(2);
        assertThat(second.accepted.get()).isEqualTo(1);
        assertThat(second.closed).isEmpty();
    }

    @Test
    void anAbortAfterTheResponseWasReadLeavesItsConnectionToTheNextRequest() throws Exception {
        URI target = URI.create(first.base() + "/health");
        Http1Client.Response response = client.send(target, "GET", Map.of(), RequestBody.of(new byte[0]), 0);
        response.body().readAllBytes();
        response.close();
        response.abort(); // a client watch that fired late, when the connection was back in the pool

        assertThat(get(first)).isEqualTo("ok");
        assertThat(first.accepted.get()).as("the pooled connection served it").isEqualTo(1);
    }

    @Test
    void opensNoMoreConnectionsThanTheLimitAndHandsAFreedOneToTheNextRequest() throws Exception {
        Engine slow = new Engine(new Semaphore(0));
        try (slow;
                ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(requests.submit(() -> get(slow, 2)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> slow.requests.get() == 2);
            Thread.sleep(200); // a third connection would be open by now

            assertThat(slow.accepted.get()).isEqualTo(2);
            slow.answers.release(3);
            for (Future<String> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
            }
            assertThat(slow.accepted.get())
                    .as("the third request went on a freed connection")
                    .isEqualTo(2);
        }
    }

    private String get(Engine engine) throws IOException, InterruptedException {
        return get(engine, 0);
    }

    private String get(Engine engine, int maxConnections) throws IOException, InterruptedException {
        URI target = URI.create(engine.base() + "/health");
        try (Http1Client.Response response =
                client.send(target, "GET", Map.of(), RequestBody.of(new byte[0]), maxConnections)) {
            return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Answers every request on a connection with "ok" (each once {@code answers} gives a permit) and
     * keeps the connection; reports its end.
     */
    private static final class Engine implements AutoCloseable {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();
        final BlockingQueue<Integer> closed = new ArrayBlockingQueue<>(8);
        final Semaphore answers;
        private final ServerSocket server;

        Engine() {
            this(new Semaphore(Integer.MAX_VALUE));
        }

        Engine(Semaphore answers) {
            this.answers = answers;
            try {
                server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofPlatform().daemon().start(this::accept);
        }

        String base() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    int number = accepted.incrementAndGet();
                    Thread.ofPlatform().daemon().start(() -> serve(socket, number));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket, int number) {
            try (socket;
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                int matched = 0; // of the blank line that ends a request head
                int read;
                while ((read = in.read()) != -1) {
                    matched = read == "\r\n\r\n".charAt(matched) ? matched + 1 : read == '\r' ? 1 : 0;
                    if (matched == 4) {
                        matched = 0;
                        requests.incrementAndGet();
                        answers.acquireUninterruptibly();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                }
                closed.add(number);
            } catch (IOException e) {
                closed.add(number);
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
