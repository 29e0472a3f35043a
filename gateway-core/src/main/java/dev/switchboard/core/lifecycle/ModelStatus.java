package dev.switchboard.core.lifecycle;

import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.Placement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A snapshot of one model's runtime state.
 *
 * @param model the model
 * @param state its state
 * @param inFlight requests being served now
 * @param placement where it runs ({@link Placement#cpu()} when not on a GPU or not running)
 * @param args the engine command line of its current or last run; before the first run, the one it
 *     would run with port 0 (as llama.cpp's router lists it), empty when the engine is no process
 * @param failed whether its last start failed or its engine crashed
 * @param exitCode the exit code of its last engine process, when known
 * @param failure what went wrong, when failed
 * @param lastLines the last lines the engine printed before it failed, empty unless failed
 * @param lastUsed when a request last finished or started on it, or {@code null}
 * @param loadProgress loading progress in [0, 1] while starting, negative when unknown
 * @param engineInfo what the engine reported about the loaded model when it became ready (llama.cpp
 *     children: their {@code /v1/models} entry, with {@code meta}), empty before
 * @param circuit the model's circuit breaker state, lower case: {@code closed}, {@code open},
 *     {@code half_open}, ...
 */
public record ModelStatus(
        ModelDescriptor model,
        ModelState state,
        int inFlight,
        Placement placement,
        List<String> args,
        boolean failed,
        Integer exitCode,
        String failure,
        List<String> lastLines,
        Instant lastUsed,
        double loadProgress,
        Map<String, Object> engineInfo,
        String circuit) {

    public ModelStatus {
        args = List.copyOf(args);
        lastLines = List.copyOf(lastLines);
        engineInfo = Map.copyOf(engineInfo);
    }

    /** This status with other engine arguments. */
    public ModelStatus withArgs(List<String> value) {
        return new ModelStatus(
                model,
                state,
                inFlight,
                placement,
                value,
                failed,
                exitCode,
                failure,
                lastLines,
                lastUsed,
                loadProgress,
                engineInfo,
                circuit);
    }

    public ModelStatus withCircuit(String value) {
        return new ModelStatus(
                model,
                state,
                inFlight,
                placement,
                args,
                failed,
                exitCode,
                failure,
                lastLines,
                lastUsed,
                loadProgress,
                engineInfo,
                value);
    }

    public OptionalInt lastExitCode() {
        return exitCode == null ? OptionalInt.empty() : OptionalInt.of(exitCode);
    }
}
