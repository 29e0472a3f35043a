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
 * (health, the model list, a proxied request for an unknown model) so that the classes of the
 * request path are in the cache too, then stops as on SIGTERM.
 */
final class TrainingRun {
    static final String PROPERTY = "switchboard.trainingRun";

    private TrainingRun() {}

    static boolean requested() {
        return Boolean.getBoolean(PROPERTY);
    }

    static void exercise(int port) {
        String base = "http://127.0.0.1:" + port;
        request(base + "/health", null);
        request(base + "/v1/models", null);
        request(base + "/v1/chat/completions", "{\"model\":\"training-run\",\"messages\":[]}");
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
