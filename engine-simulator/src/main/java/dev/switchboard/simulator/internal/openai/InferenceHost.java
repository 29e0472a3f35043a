package dev.switchboard.simulator.internal.openai;

import dev.switchboard.simulator.internal.http.ApiError;
import dev.switchboard.simulator.internal.http.ErrorFormat;
import java.util.Optional;

/** What the OpenAI-compatible endpoints need from the engine that serves them. */
public interface InferenceHost {

    /** How the engine shapes its errors. */
    ErrorFormat errors();

    /** The engine's answer to a body that is not JSON, {@code detail} saying why. */
    ApiError malformed(String detail);

    /**
     * Lets a request in once the engine can serve it: waits for a free slot, wakes the model, or refuses with an
     * {@link ApiError} (or, where the real engine would die, ends the process).
     *
     * @param requestedModel the request's {@code model} field
     */
    Admission admit(Optional<String> requestedModel, Purpose purpose);

    /** What a request wants the model for. */
    enum Purpose {
        GENERATION,
        EMBEDDING
    }

    /**
     * A request let in.
     *
     * @param model the model name to report in the response
     * @param release called once the request is done
     */
    record Admission(String model, Runnable release) implements AutoCloseable {

        public static Admission of(String model) {
            return new Admission(model, () -> {});
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
