package dev.switchboard.app.activity.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.forward.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Watches a response on its way to the client: the time of its first body byte and of its first
 * generated text, and the token counts of the engine's {@code usage} (OpenAI's {@code
 * prompt_tokens}/{@code completion_tokens}, Anthropic's {@code input_tokens}/{@code output_tokens},
 * in a JSON body or in a stream's events). Only lines that mention {@code usage} are parsed, so a
 * stream costs a byte scan. Not thread-safe: one relay writes it.
 */
public final class ResponseTap implements ResponseSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longer lines (huge embeddings) are not scanned: they carry no text events. */
    private static final int MAX_LINE = 256 * 1024;

    private final ResponseSink sink;
    private final LongSupplier clock;
    private final int captureBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private boolean streamed;
    private boolean lineTooLong;
    private boolean truncated;
    private long firstByte = -1;
    private long firstToken = -1;
    private int promptTokens = -1;
    private int completionTokens = -1;
    private OutputStream body;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime}
     * @param captureBytes how much of the body to keep; 0 keeps none
     */
    public ResponseTap(ResponseSink sink, LongSupplier clock, int captureBytes) {
        this.sink = sink;
        this.clock = clock;
        this.captureBytes = captureBytes;
    }

    @Override
    public void begin(int status, Map<String, List<String>> headers) throws IOException {
        headers.forEach((name, values) -> {
            if (name.equalsIgnoreCase("content-type") && !values.isEmpty()) {
                streamed = values.get(0).toLowerCase(Locale.ROOT).startsWith("text/event-stream");
            }
        });
        sink.begin(status, headers);
    }

    @Override
    public OutputStream body() throws IOException {
        if (body == null) {
            OutputStream target = sink.body();
            body = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    observe(bytes, offset, length);
                    target.write(bytes, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    target.flush();
                }

                @Override
                public void close() throws IOException {
                    finish();
                    target.close();
                }
            };
        }
        return body;
    }

    private void observe(byte[] bytes, int offset, int length) {
        if (length > 0 && firstByte < 0) {
            firstByte = clock.getAsLong();
        }
        int room = captureBytes - captured.size();
        if (room > 0) {
            captured.write(bytes, offset, Math.min(room, length));
        }
        truncated |= length > room && captureBytes > 0;
        // whole segments between newlines, not byte by byte: this runs on every relayed byte
        int end = offset + length;
        for (int start = offset; start < end; ) {
            int newline = start;
            while (newline < end && bytes[newline] != '\n') {
                newline++;
            }
            keep(bytes, start, newline - start);
            if (newline < end) {
                endLine();
            }
            start = newline + 1;
        }
    }

    private void keep(byte[] bytes, int offset, int length) {
        int room = MAX_LINE - line.size();
        line.write(bytes, offset, Math.min(room, length));
        lineTooLong |= length > room;
    }

    private void endLine() {
        if (!lineTooLong && line.size() > 0) {
            scan(line.toString(StandardCharsets.UTF_8));
        }
        line.reset();
        lineTooLong = false;
    }

    /** Reads what is left once the body is complete (a JSON body that does not end in a newline). */
    public void finish() {
        endLine();
    }

    private void scan(String text) {
        String data = text.startsWith("data:") ? text.substring(5).strip() : text.strip();
        if (firstToken < 0 && streamed && carriesText(data)) {
            firstToken = clock.getAsLong();
        }
        if (data.contains("\"usage\"") && data.startsWith("{")) {
            try {
                readUsage(JSON.readTree(data));
            } catch (IOException e) {
                // not JSON after all: nothing to count
            }
        }
    }

    /** Whether an event holds generated text: a non-empty {@code content}, {@code text} or reasoning delta. */
    private static boolean carriesText(String data) {
        for (String key : List.of("\"content\":\"", "\"text\":\"", "\"reasoning_content\":\"")) {
            int at = data.indexOf(key);
            if (at >= 0 && at + key.length() < data.length() && data.charAt(at + key.length()) != '"') {
                return true;
            }
        }
        return false;
    }

    private void readUsage(JsonNode json) {
        JsonNode usage = json.path("usage");
        if (usage.isMissingNode() || usage.isNull()) {
            usage = json.path("message").path("usage"); // Anthropic's message_start
        }
        promptTokens = count(usage, "prompt_tokens", "input_tokens", promptTokens);
        completionTokens = count(usage, "completion_tokens", "output_tokens", completionTokens);
    }

    private static int count(JsonNode usage, String openAi, String anthropic, int previous) {
        JsonNode value = usage.has(openAi) ? usage.get(openAi) : usage.get(anthropic);
        return value != null && value.canConvertToInt() && value.asInt() >= 0 ? value.asInt() : previous;
    }

    /** {@link System#nanoTime} of the first body byte, or -1. */
    public long firstByteNanos() {
        return firstByte;
    }

    /** {@link System#nanoTime} of the first event with generated text, or -1. */
    public long firstTokenNanos() {
        return firstToken;
    }

    public boolean streamed() {
        return streamed;
    }

    public int promptTokens() {
        return promptTokens;
    }

    public int completionTokens() {
        return completionTokens;
    }

    /** The kept part of the body, as text. */
    public String captured() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Whether the body was longer than what was kept. */
    public boolean truncated() {
        return truncated;
    }

    /** The client is the wrapped sink's: an idle stream whose client left is still cancelled. */
    @Override
    public Runnable watchClient(Runnable onGone) {
        return sink.watchClient(onGone);
    }
}
