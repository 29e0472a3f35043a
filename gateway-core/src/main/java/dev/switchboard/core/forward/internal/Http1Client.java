package dev.switchboard.core.forward.internal;

import dev.switchboard.core.forward.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A blocking HTTP/1.1 client with a keep-alive pool per origin, for relaying to engines. The caller's
 * thread (a virtual thread in the gateway) does the socket I/O itself: no selector thread, no
 * hand-off per request, no copy of the response body. The relay reads what each socket read
 * returns, so streamed events pass through as they arrive.
 *
 * <p>A request that fails on a pooled connection before any response byte came back (the engine
 * closed an idle keep-alive connection) is sent once more on a fresh connection; nothing has reached
 * the client then. A streamed body cannot be sent twice, so it always goes on a fresh connection: with
 * its length as {@code Content-Length} when known, else chunked. Thread-safe.
 */
public final class Http1Client {
    private static final int MAX_IDLE_PER_ORIGIN = 256;
    private static final long IDLE_NANOS = Duration.ofSeconds(30).toNanos();
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CHUNKED_END = "0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final int connectTimeoutMillis;
    private final Map<String, Origin> origins = new ConcurrentHashMap<>();

    public Http1Client(Duration connectTimeout) {
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
    }

    /**
     * Sends a request and reads the response head; the body is read from the returned response,
     * which must be closed (a fully read body returns its connection to the pool).
     *
     * @param headers headers to send besides Host and the body's framing, names as given
     * @param maxConnections the most connections open to the origin at once, idle ones included (a
     *     request past it waits for one to come free), or 0 for no limit
     * @throws RuntimeException what a streamed body's source throws (the connection is closed then)
     */
    public Response send(
            URI target, String method, Map<String, List<String>> headers, RequestBody body, int maxConnections)
            throws IOException, InterruptedException {
        byte[] head = head(target, method, headers, body.length());
        Origin origin = origins.computeIfAbsent(origin(target), key -> new Origin());
        Connection pooled = null;
        if (body instanceof RequestBody.Bytes) {
            pooled = origin.idleOrReserve(maxConnections);
        } else {
            origin.reserve(maxConnections); // a streamed body cannot be sent twice: always a new connection
        }
        if (pooled != null) {
            try {
                return pooled.exchange(head, body, method);
            } catch (NothingReceivedException e) {
                pooled.close(); // a stale keep-alive connection: one more try on a fresh one
                origin.reserve(maxConnections);
            } catch (IOException e) {
                pooled.close(); // a malformed answer: the engine did answer, so no retry
                throw e;
            } catch (RuntimeException e) {
                pooled.close();
                throw e;
            }
        }
        Connection fresh = connect(target, origin);
        try {
            return fresh.exchange(head, body, method);
        } catch (IOException e) {
            fresh.close();
            throw e instanceof NothingReceivedException gone ? (IOException) gone.getCause() : e;
        } catch (RuntimeException e) {
            fresh.close(); // the engine has part of a request: it sees it cancelled
            throw e;
        }
    }

    /**
     * Closes the idle connections to the origin of {@code base}: an engine about to exit would
     * otherwise keep a worker on each until its keep-alive check comes round (llama-server's exit
     * waited some 100 ms for one).
     */
    public void closeIdle(URI base) {
        Origin origin = origins.get(origin(base));
        if (origin != null) {
            origin.closeIdle();
        }
    }

    /** Closes every idle connection. */
    public void close() {
        origins.values().forEach(Origin::closeIdle);
    }

    /** Opens a connection on a slot {@code origin} has reserved; the slot goes back if it fails. */
    private Connection connect(URI target, Origin origin) throws IOException {
        boolean tls = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() != -1 ? target.getPort() : tls ? 443 : 80;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(target.getHost(), port), connectTimeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(socket, target.getHost(), port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                socket = ssl;
            }
            return new Connection(socket, origin);
        } catch (IOException | RuntimeException e) {
            socket.close();
            origin.closed();
            throw e;
        }
    }

    private static String origin(URI target) {
        return target.getScheme().toLowerCase(Locale.ROOT) + "://" + target.getHost() + ":" + target.getPort();
    }

    /** @param bodyLength -1 for a body of unknown length, sent chunked */
    private static byte[] head(URI target, String method, Map<String, List<String>> headers, long bodyLength) {
        StringBuilder head = new StringBuilder(256);
        String path = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        head.append(method).append(' ').append(path);
        if (target.getRawQuery() != null) {
            head.append('?').append(target.getRawQuery());
        }
        head.append(" HTTP/1.1\r\nHost: ").append(target.getHost());
        if (target.getPort() != -1) {
            head.append(':').append(target.getPort());
        }
        head.append("\r\n");
        headers.forEach((name, values) -> {
            for (String value : values) {
                checkHeader(name, value);
                head.append(name).append(": ").append(value).append("\r\n");
            }
        });
        if (bodyLength < 0) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (bodyLength > 0 || !(method.equals("GET") || method.equals("HEAD") || method.equals("DELETE"))) {
            head.append("Content-Length: ").append(bodyLength).append("\r\n");
        }
        head.append("\r\n");
        return head.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** No header may smuggle a line break into the request. */
    private static void checkHeader(String name, String value) {
        if (name.indexOf('\r') >= 0
                || name.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0
                || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header '" + name.strip() + "' contains a line break");
        }
    }

    /** A request that failed before the engine answered anything. */
    private static final class NothingReceivedException extends IOException {
        private static final long serialVersionUID = 1L;

        NothingReceivedException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** An engine's response: status and head read, body streamed from {@link #body()}. */
    public static final class Response implements AutoCloseable {
        private final int status;
        private final Map<String, List<String>> headers;
        private final Body body;

        private Response(int status, Map<String, List<String>> headers, Body body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        public int status() {
            return status;
        }

        /** The response headers, names as the engine wrote them, in its order. */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** The first value of a header, by case-insensitive name, or null. */
        public String header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return entry.getValue().get(0);
                }
            }
            return null;
        }

        /** The body's length as the engine declared it, or -1 for a chunked body or one that ends with the connection. */
        public long contentLength() {
            return body.length;
        }

        /** The body; each read returns what one socket read brought, never waiting to fill the buffer. */
        public InputStream body() {
            return body;
        }

        /** Returns the connection to the pool when the body was read to its end, else closes it. */
        @Override
        public void close() {
            body.close();
        }

        /**
         * Closes the connection from any thread: a read blocked on it fails, the engine sees the
         * request cancelled. After {@link #close} it does nothing: the connection may serve another
         * request by then.
         */
        public void abort() {
            body.abort();
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final Origin origin;
        private final InputStream in;
        private final OutputStream out;
        private final byte[] buffer = new byte[8192];
        private int pos;
        private int limit;
        private final AtomicBoolean closed = new AtomicBoolean();
        private long idleSince;

        Connection(Socket socket, Origin origin) throws IOException {
            this.socket = socket;
            this.origin = origin;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        Response exchange(byte[] head, RequestBody body, String method) throws IOException {
            try {
                switch (body) {
                    case RequestBody.Bytes bytes -> write(head, bytes.bytes());
                    case RequestBody.Stream stream -> {
                        out.write(head);
                        copy(stream);
                    }
                }
                out.flush();
                if (!fill()) {
                    throw new IOException("the engine closed the connection without answering");
                }
            } catch (IOException e) {
                throw new NothingReceivedException(e);
            }
            while (true) {
                String statusLine = line();
                int status = status(statusLine);
                Map<String, List<String>> headers = new LinkedHashMap<>();
                String line;
                while (!(line = line()).isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        throw new IOException("malformed header line from the engine: " + line);
                    }
                    headers.computeIfAbsent(line.substring(0, colon).strip(), key -> new ArrayList<>(1))
                            .add(line.substring(colon + 1).strip());
                }
                if (status >= 100 && status < 200 && status != 101) {
                    continue; // 100 Continue, 103 Early Hints: the real answer follows
                }
                boolean keepAlive = statusLine.startsWith("HTTP/1.1") && !hasToken(headers, "connection", "close");
                Body responseBody;
                if (method.equals("HEAD") || status == 204 || status == 304) {
                    responseBody = new Body(this, keepAlive, 0, false);
                } else if (hasToken(headers, "transfer-encoding", "chunked")) {
                    responseBody = new Body(this, keepAlive, -1, true);
                } else {
                    String length = first(headers, "content-length");
                    responseBody = length != null
                            ? new Body(this, keepAlive, contentLength(length), false)
                            : new Body(this, false, -1, false); // ends when the engine closes
                }
                return new Response(status, headers, responseBody);
            }
        }

        private void write(byte[] head, byte[] body) throws IOException {
            if (body.length > 0 && head.length + body.length <= 16384) {
                byte[] request = new byte[head.length + body.length];
                System.arraycopy(head, 0, request, 0, head.length);
                System.arraycopy(body, 0, request, head.length, body.length);
                out.write(request); // one segment for a small request
            } else {
                out.write(head);
                out.write(body);
            }
        }

        /** The stream's bytes as they are read: its declared length of them, or chunks up to its end. */
        private void copy(RequestBody.Stream body) throws IOException {
            byte[] chunk = new byte[64 * 1024];
            long remaining = body.length();
            InputStream source = body.source();
            while (remaining != 0) {
                int n = source.read(chunk, 0, remaining < 0 ? chunk.length : (int) Math.min(chunk.length, remaining));
                if (n == -1) {
                    if (remaining > 0) {
                        throw new IOException("the request body ended " + remaining + " bytes before its length");
                    }
                    out.write(CHUNKED_END);
                    return;
                }
                if (n == 0) {
                    continue; // a chunk of size 0 would end the body
                }
                if (remaining < 0) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk, 0, n);
                    out.write(CRLF);
                } else {
                    out.write(chunk, 0, n);
                    remaining -= n;
                }
            }
        }

        private static long contentLength(String value) throws IOException {
            try {
                long length = Long.parseLong(value.strip());
                if (length >= 0) {
                    return length;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IOException("malformed Content-Length from the engine: " + value);
        }

        private int status(String statusLine) throws IOException {
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("malformed status line from the engine: " + statusLine);
            }
            try {
                return Integer.parseInt(statusLine.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("malformed status line from the engine: " + statusLine, e);
            }
        }

        /** Reads more into the buffer when it is empty; false at end of stream. */
        boolean fill() throws IOException {
            if (pos < limit) {
                return true;
            }
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            limit = n;
            return true;
        }

        /** One line of the head or of chunk framing, without its CRLF. */
        String line() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (!fill()) {
                    throw new IOException("the engine closed the connection mid-response");
                }
                while (pos < limit) {
                    byte b = buffer[pos++];
                    if (b == '\n') {
                        int n = line.length();
                        if (n > 0 && line.charAt(n - 1) == '\r') {
                            line.setLength(n - 1);
                        }
                        return line.toString();
                    }
                    if (line.length() > 65536) {
                        throw new IOException("a line of the engine's response head is too long");
                    }
                    line.append((char) (b & 0xff));
                }
            }
        }

        /** Up to len bytes: buffered ones first, else one socket read; -1 at end of stream. */
        int read(byte[] target, int offset, int len) throws IOException {
            if (pos < limit) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(buffer, pos, target, offset, n);
                pos += n;
                return n;
            }
            return in.read(target, offset, len);
        }

        /** Closes the socket, once, from any thread, and gives its slot back. */
        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            origin.closed();
        }
    }

    private static boolean hasToken(Map<String, List<String>> headers, String name, String token) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                for (String value : entry.getValue()) {
                    for (String part : value.split(",")) {
                        if (part.strip().equalsIgnoreCase(token)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().get(0);
            }
        }
        return null;
    }

    /** A response body: fixed length, chunked, or up to the connection's end. */
    private static final class Body extends InputStream {
        private final Connection connection;
        private final boolean keepAlive;
        private final boolean chunked;
        private final long length; // as declared, -1 when unknown
        private long remaining; // of the body, or of the current chunk; -1 for "read to the end"
        private boolean done;
        private final AtomicBoolean released = new AtomicBoolean(); // given back, closed or aborted: once

        Body(Connection connection, boolean keepAlive, long length, boolean chunked) {
            this.connection = connection;
            this.keepAlive = keepAlive;
            this.chunked = chunked;
            this.length = chunked ? -1 : length;
            this.remaining = chunked ? 0 : length;
            this.done = !chunked && length == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n == -1 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int offset, int len) throws IOException {
            if (released.get()) {
                throw new IOException("response body closed");
            }
            if (done) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (chunked && remaining == 0) {
                remaining = nextChunk();
                if (remaining == 0) {
                    done = true;
                    return -1;
                }
            }
            int want = remaining < 0 ? len : (int) Math.min(len, remaining);
            int n = connection.read(target, offset, want);
            if (n == -1) {
                if (remaining < 0) {
                    done = true;
                    return -1;
                }
                throw new IOException("the engine closed the connection mid-body");
            }
            if (remaining > 0) {
                remaining -= n;
                if (remaining == 0 && chunked) {
                    if (!connection.line().isEmpty()) {
                        throw new IOException("malformed chunk from the engine");
                    }
                } else if (remaining == 0) {
                    done = true;
                }
            }
            return n;
        }

        private long nextChunk() throws IOException {
            String size = connection.line();
            int extension = size.indexOf(';');
            long length;
            try {
                length = Long.parseLong((extension >= 0 ? size.substring(0, extension) : size).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size from the engine: " + size, e);
            }
            if (length == 0) {
                while (!connection.line().isEmpty()) {
                    // trailers: not relayed
                }
            }
            return length;
        }

        @Override
        public void close() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            if (done && keepAlive) {
                connection.origin.giveBack(connection);
            } else {
                connection.close(); // unread body: the engine sees the request cancelled
            }
        }

        void abort() {
            if (released.compareAndSet(false, true)) {
                connection.close();
            }
        }
    }

    /**
     * The connections to one origin: the idle ones, most recently used first (so the others expire),
     * and a count of all that are open, idle or in use, held to a request's limit. A limit matters for
     * an engine with a fixed pool of HTTP workers that keeps a worker per open connection, as
     * llama-server does: past the workers that are free, new connections that arrive together can
     * wait in its queue until some other connection closes, seconds under load.
     */
    private static final class Origin {
        private final ReentrantLock lock = new ReentrantLock(true);
        private final Condition freed = lock.newCondition();
        private final ArrayDeque<Connection> idle = new ArrayDeque<>(); // guarded by lock
        private int open; // guarded by lock

        /**
         * An idle connection, or (null) a slot reserved for a new connection, waiting for either while
         * {@code limit} connections are open and in use.
         */
        Connection idleOrReserve(int limit) throws InterruptedException {
            return acquire(limit, true);
        }

        /** A slot for a new connection, waiting for one while {@code limit} connections are in use; idle ones make room. */
        void reserve(int limit) throws InterruptedException {
            acquire(limit, false);
        }

        private Connection acquire(int limit, boolean reuse) throws InterruptedException {
            lock.lock();
            try {
                while (true) {
                    Connection connection;
                    long now = System.nanoTime();
                    while (reuse && (connection = idle.pollFirst()) != null) {
                        if (now - connection.idleSince < IDLE_NANOS) {
                            return connection;
                        }
                        connection.close();
                    }
                    if (limit <= 0 || open < limit) {
                        open++;
                        return null;
                    }
                    if (!reuse && !idle.isEmpty()) {
                        idle.pollLast().close(); // room for this one's new connection
                    } else {
                        freed.await();
                    }
                }
            } finally {
                lock.unlock();
            }
        }

        /** A connection whose response was read to its end goes back to the idle ones (or closes, past 256). */
        void giveBack(Connection connection) {
            lock.lock();
            try {
                if (connection.closed.get()) {
                    return; // its slot is already free
                }
                if (idle.size() < MAX_IDLE_PER_ORIGIN) {
                    connection.idleSince = System.nanoTime();
                    idle.addFirst(connection);
                    freed.signal();
                    return;
                }
            } finally {
                lock.unlock();
            }
            connection.close();
        }

        /** A connection closed, or failed to open: its slot is free. */
        void closed() {
            lock.lock();
            try {
                open--;
                freed.signal();
            } finally {
                lock.unlock();
            }
        }

        void closeIdle() {
            List<Connection> closing;
            lock.lock();
            try {
                closing = List.copyOf(idle);
                idle.clear();
            } finally {
                lock.unlock();
            }
            closing.forEach(Connection::close);
        }
    }
}
