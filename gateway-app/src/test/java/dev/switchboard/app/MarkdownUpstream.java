package dev.switchboard.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A remote OpenAI-compatible upstream that streams one markdown answer, slowly, with bold text, a
 * list, a code block and an HTML injection attempt; the web UI must render the markdown and show
 * the HTML as text.
 */
final class MarkdownUpstream implements AutoCloseable {
    static final String MODEL = "notes";
    static final List<String> CHUNKS = List.of(
            "Here is **bold** and `inline`.\n\n",
            "- first\n- second\n\n",
            "<img src=x onerror=\"window.__pwned=1\">\n\n",
            "```python\n",
            "print('hi')\n",
            "```\n");

    private final HttpServer server;

    private MarkdownUpstream(HttpServer server) {
        this.server = server;
    }

    static MarkdownUpstream start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/chat/completions", exchange -> {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    for (String chunk : CHUNKS) {
                        String json =
                                "{\"object\":\"chat.completion.chunk\",\"model\":\"notes\",\"choices\":[{\"index\":0,"
                                        + "\"delta\":{\"content\":" + quote(chunk) + "}}]}";
                        event(out, json);
                        sleep();
                    }
                    event(
                            out,
                            "{\"object\":\"chat.completion.chunk\",\"model\":\"notes\",\"choices\":[],"
                                    + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":30,\"total_tokens\":37}}");
                    event(out, "[DONE]");
                }
            });
            server.start();
            return new MarkdownUpstream(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL the {@code openai} backend takes. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    // slow enough that the page is seen while it streams
    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
