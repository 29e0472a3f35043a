package dev.switchboard.core.lifecycle;

import dev.switchboard.core.process.EngineProcess;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The right to send one request to a ready model's engine. While any lease is open the model is
 * never evicted; closing it (once the response is fully relayed, or the client went away) lets the
 * model go idle.
 */
public final class Lease implements AutoCloseable {
    private final ModelDescriptor model;
    private final LaunchSpec engine;
    private final EngineProcess process;
    private final Runnable onClose;
    private final List<Runnable> whenClosed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param process the engine's process, null for an upstream the gateway does not run */
    Lease(ModelDescriptor model, LaunchSpec engine, EngineProcess process, Runnable onClose) {
        this.model = model;
        this.engine = engine;
        this.process = process;
        this.onClose = onClose;
    }

    public ModelDescriptor model() {
        return model;
    }

    /** Where the engine serves HTTP. */
    public URI baseUri() {
        return engine.baseUri();
    }

    /** The model name the engine expects in request bodies. */
    public String upstreamModel() {
        return engine.upstreamModel();
    }

    /** Headers to add to requests sent to the engine (an upstream's API key). */
    public Map<String, String> requestHeaders() {
        return engine.requestHeaders();
    }

    /** The engine's process this lease was granted on; null for an upstream the gateway does not run. */
    EngineProcess process() {
        return process;
    }

    /** Runs the action when the lease is released (at once if it already was). */
    public void whenClosed(Runnable action) {
        whenClosed.add(action);
        if (closed.get() && whenClosed.remove(action)) {
            action.run();
        }
    }

    /** Releases the lease; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.run();
            whenClosed.forEach(action -> {
                if (whenClosed.remove(action)) {
                    action.run();
                }
            });
        }
    }
}
