package dev.switchboard.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The launcher's training start for the JDK's ahead-of-time cache ({@code -XX:AOTCacheOutput}):
 * with {@code -Dswitchboard.trainingRun=true} the gateway answers a few requests on its own port
 * (health, the model list, a request for an unknown model, and, for each engine of the launcher's
 * training configuration, {@value #MODEL} (a command) and {@value #LLAMA_MODEL} (a llama.cpp model
 * played by the simulator), a first request that starts it and a stream; then an admin listing) so
 * that the classes of the request path and of an engine's start are in the cache too, then stops as
 * on SIGTERM, stopping the engines.
 */
final class TrainingRun {
    static final String PROPERTY = "switchboard.trainingRun";
    static final String MODEL = "training-run";
    static final String LLAMA_MODEL = "training-llama";

    private TrainingRun() {}

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    static void exercise(int port) {
        String base = "http://127.0.0.1:" + port;
        request(base + "/health", null);
        request(base + "/v1/models", null);
        request(base + "/v1/chat/completions", "{\"model\":\"no-such-model\",\"messages\":[]}");
        for (String model : new String[] {MODEL, LLAMA_MODEL}) {
            String chat = "\"model\":\"" + model
                    + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
            request(base + "/v1/chat/completions", "{" + chat + "}");
            request(base + "/v1/chat/completions", "{" + chat + ",\"stream\":true}");
        }
        request(base + "/api/models", null);
    }

    private static void request(String url, String body) {
        try {
            HttpURLConnection connection =
                    (HttpURLConnection) URI.create(url).toURL().openConnection();
            if (body != null) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", "application/json");
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            InputStream in =
                    connection.getResponseCode() < 400 ? connection.getInputStream() : connection.getErrorStream();
            if (in != null) {
                try (in) {
                    in.readAllBytes();
                }
            }
        } catch (IOException e) {
            // a training request that fails only leaves its classes out of the cache
        }
    }
}
