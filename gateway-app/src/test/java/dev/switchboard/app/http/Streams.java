package dev.switchboard.app.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Reads server-sent events from a response, one event's data at a time. */
final class Streams implements AutoCloseable {
    private final BufferedReader reader;

    Streams(HttpResponse<InputStream> response) {
        this.reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    }

    /** The next event's data (its {@code data:} lines joined), or null at the end of the stream. */
    String next() throws IOException {
        List<String> data = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("data:")) {
                data.add(line.substring(line.startsWith("data: ") ? 6 : 5));
            } else if (line.isEmpty() && !data.isEmpty()) {
                return String.join("\n", data);
            }
        }
        return data.isEmpty() ? null : String.join("\n", data);
    }

    /** The data of the first event satisfying {@code test}, skipping the others; null if the stream ends first. */
    String nextMatching(Predicate<String> test) throws IOException {
        for (String data = next(); data != null; data = next()) {
            if (test.test(data)) {
                return data;
            }
        }
        return null;
    }

    /** Every remaining event's data, until the stream ends. */
    List<String> rest() throws IOException {
        List<String> events = new ArrayList<>();
        for (String data = next(); data != null; data = next()) {
            events.add(data);
        }
        return events;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
