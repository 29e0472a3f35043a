package dev.switchboard.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * One configured engine type: knows where its models come from, how much memory a model needs and
 * how to launch an engine process for a model on a placement. It never spawns processes itself: the
 * core's supervisor does, from the {@link LaunchSpec} returned here.
 */
public interface Backend extends AutoCloseable {

    /** The backend's configured name. */
    String name();

    /** The sources this backend lists models from (a models directory, a cache, a preset file). */
    List<ModelSource> sources();

    /** Estimates the memory the model needs when loaded. */
    MemoryEstimate estimate(ModelDescriptor model);

    /**
     * Builds the launch of an engine for a model on a placement.
     *
     * @param context the port chosen for the child and the gateway's own port
     */
    LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context);

    /** The cheap warm tier for this model (engine sleep mode), when the engine offers one. */
    default Optional<WarmTier> warmTier(ModelDescriptor model) {
        return Optional.empty();
    }

    /** How this backend downloads models, when it can. */
    default Optional<ModelPuller> puller() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}
