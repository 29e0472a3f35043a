package dev.switchboard.app.activity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.forward.ResponseSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The activity ring: what it keeps of each request, how many, and what it reads from answers. */
class ActivityLogTest {
    private static final byte[] NO_BODY = new byte[0];

    @Test
    void keepsOnlyTheLatestRequestsNewestFirst() {
        ActivityLog log = new ActivityLog(new ActivitySettings(true, 3, false, 0));
        for (int i = 0; i < 5; i++) {
            log.begin("m" + i, "/v1/chat/completions", NO_BODY).finish(200);
        }

        assertThat(log.recent()).extracting(RequestRecord::model).containsExactly("m4", "m3", "m2");
    }

    @Test
    void keepsNothingWhenSwitchedOffButStillTellsListeners() {
        ActivityLog log = new ActivityLog(new ActivitySettings(false, 3, false, 0));
        List<ActivityEvent> events = new ArrayList<>();
        log.subscribe(events::add);

        log.begin("m", "/v1/completions", NO_BODY).finish(404);

        assertThat(log.recent()).isEmpty();
        assertThat(events).hasSize(2).last().isInstanceOf(ActivityEvent.Finished.class);
    }

    @Test
    void readsStreamedUsageAndTheFirstTokenTime() throws IOException {
        ActivityLog log = new ActivityLog(ActivitySettings.defaults());
        ActivityLog.Trace trace = log.begin("m", "/v1/chat/completions", NO_BODY);
        trace.model("m");
        ResponseSink sink = trace.watch(new Discard());
        sink.begin(200, Map.of("Content-Type", List.of("text/event-stream")));
        OutputStream body = sink.body();
        write(body, "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
        write(body, "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"choices\":[{\"delta\":");
        write(body, "{\"content\":\" there\"}}]}\n\n");
        write(
                body,
                "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n");

        RequestRecord record = trace.finish(200);

        assertThat(record.streamed()).isTrue();
        assertThat(record.known()).isTrue();
        assertThat(record.promptTokens()).isEqualTo(5);
        assertThat(record.completionTokens()).isEqualTo(2);
        assertThat(record.firstTokenMillis()).isGreaterThanOrEqualTo(record.firstByteMillis());
        assertThat(record.firstByteMillis()).isNotNegative();
    }

    @Test
    void readsUsageFromAJsonBodyAndAnthropicsNames() throws IOException {
        ActivityLog log = new ActivityLog(ActivitySettings.defaults());
        ActivityLog.Trace trace = log.begin("m", "/v1/messages", NO_BODY);
        ResponseSink sink = trace.watch(new Discard());
        sink.begin(200, Map.of("content-type", List.of("application/json")));
        write(sink.body(), "{\"type\":\"message\",\"usage\":{\"input_tokens\":9,\"output_tokens\":4}}");

        RequestRecord record = trace.finish(200);

        assertThat(record.streamed()).isFalse();
        assertThat(record.firstTokenMillis()).isEqualTo(-1);
        assertThat(record.promptTokens()).isEqualTo(9);
        assertThat(record.completionTokens()).isEqualTo(4);
        assertThat(record.tokensPerSecond()).isPositive();
    }

    @Test
    void capturesBodiesCutToSize() throws IOException {
        ActivityLog log = new ActivityLog(new ActivitySettings(true, 10, true, 8));
        ActivityLog.Trace trace = log.begin("m", "/v1/completions", "{\"prompt\":\"long\"}".getBytes());
        ResponseSink sink = trace.watch(new Discard());
        sink.begin(200, Map.of());
        write(sink.body(), "0123456789");

        long id = trace.finish(200).id();

        RequestRecord.Capture capture = log.find(id).orElseThrow().capture();
        assertThat(capture.request()).isEqualTo("{\"prompt");
        assertThat(capture.response()).isEqualTo("01234567");
        assertThat(capture.truncated()).isTrue();
        assertThat(log.recent().getFirst().capture())
                .as("the list leaves bodies out")
                .isNull();
    }

    @Test
    void countsWaitingRequestsPerModel() {
        ActivityLog log = new ActivityLog(ActivitySettings.defaults());
        ActivityLog.Trace trace = log.begin("m", "/v1/completions", NO_BODY);
        trace.model("m");

        ActivityLog.Waiting waiting = trace.waiting();
        assertThat(log.waiting("m")).isEqualTo(1);
        assertThat(log.waiting()).isEqualTo(1);
        waiting.close();

        assertThat(log.waiting("m")).isZero();
        assertThat(trace.finish(200).queueMillis()).isNotNegative();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Discard implements ResponseSink {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();

        @Override
        public void begin(int status, Map<String, List<String>> headers) {}

        @Override
        public OutputStream body() {
            return body;
        }
    }
}
