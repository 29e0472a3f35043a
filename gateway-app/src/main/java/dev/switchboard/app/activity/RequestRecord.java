package dev.switchboard.app.activity;

import java.time.Instant;

/**
 * One finished request, as the activity view shows it.
 *
 * @param id increasing from 1, unique in this gateway's life
 * @param at when it arrived
 * @param model the model that served it, or the name the client asked for when none matched
 * @param known whether {@code model} named a model in the catalog
 * @param route the route it came in on, such as {@code /v1/chat/completions}
 * @param status the HTTP status sent (499: the client left before any answer)
 * @param streamed whether the answer was a server-sent-event stream
 * @param queueMillis time spent waiting for the model to be ready (loading included)
 * @param firstByteMillis time from arrival to the answer's first body byte, or -1
 * @param firstTokenMillis time from arrival to the first generated text, or -1 when none was seen
 * @param durationMillis time from arrival to the end of the answer
 * @param promptTokens from the engine's {@code usage}, or -1 when it reported none
 * @param completionTokens from the engine's {@code usage}, or -1 when it reported none
 * @param capture the bodies, when capture is on; otherwise {@code null}
 */
public record RequestRecord(
        long id,
        Instant at,
        String model,
        boolean known,
        String route,
        int status,
        boolean streamed,
        double queueMillis,
        double firstByteMillis,
        double firstTokenMillis,
        double durationMillis,
        int promptTokens,
        int completionTokens,
        Capture capture) {

    /**
     * Generated tokens per second: over the time after the first token for a stream, over the time
     * after the wait otherwise; -1 without token counts.
     */
    public double tokensPerSecond() {
        if (completionTokens <= 0) {
            return -1;
        }
        boolean fromFirstToken = streamed && firstTokenMillis >= 0 && completionTokens > 1;
        double millis = fromFirstToken ? durationMillis - firstTokenMillis : durationMillis - queueMillis;
        double tokens = fromFirstToken ? completionTokens - 1 : completionTokens;
        return millis <= 0 ? -1 : tokens * 1000 / millis;
    }

    /** This record without its bodies. */
    public RequestRecord withoutCapture() {
        return capture == null
                ? this
                : new RequestRecord(
                        id,
                        at,
                        model,
                        known,
                        route,
                        status,
                        streamed,
                        queueMillis,
                        firstByteMillis,
                        firstTokenMillis,
                        durationMillis,
                        promptTokens,
                        completionTokens,
                        null);
    }

    /**
     * The bodies of a request and its answer, each cut at the configured size.
     *
     * @param truncated whether either body was longer than what is kept
     */
    public record Capture(String request, String response, boolean truncated) {}
}
