package dev.switchboard.llamacpp.hub;

import java.io.IOException;
import java.net.URI;

/**
 * The llama.cpp backend's fake Hugging Face hub, opened to the gateway's client tests (it lives in
 * that backend's test jar, package-private): one repository with one GGUF file.
 */
public final class PullableHub implements AutoCloseable {
    private final FakeHub hub;

    public PullableHub(String repo, String file, String content) throws IOException {
        hub = new FakeHub();
        hub.repo(repo, "0123456789abcdef0123456789abcdef01234567").file(file, content);
    }

    public URI endpoint() {
        return hub.endpoint();
    }

    @Override
    public void close() {
        hub.close();
    }
}
