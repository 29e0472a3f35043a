package dev.switchboard.core.testing;

import dev.switchboard.core.forward.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** A response sink that keeps what it receives, for tests that use the gateway as a library. */
public final class CollectingSink implements ResponseSink {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private volatile int status;
    private volatile Map<String, List<String>> headers = Map.of();

    @Override
    public void begin(int status, Map<String, List<String>> headers) {
        this.status = status;
        this.headers = headers;
    }

    @Override
    public OutputStream body() {
        return body;
    }

    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public String text() {
        return body.toString(StandardCharsets.UTF_8);
    }
}
