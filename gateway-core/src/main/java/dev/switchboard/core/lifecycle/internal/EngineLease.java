package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.Lease;
import dev.switchboard.core.process.internal.EngineProcess;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.ModelDescriptor;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A lease the manager grants on one start of a model's engine. */
final class EngineLease implements Lease {
    private final ModelDescriptor model;
    private final LaunchSpec engine;
    private final EngineProcess process;
    private final Runnable onClose;
    private final List<Runnable> whenClosed = new CopyOnWriteArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /** @param process the engine's process, null for an upstream the gateway does not run */
    EngineLease(ModelDescriptor model, LaunchSpec engine, EngineProcess process, Runnable onClose) {
        this.model = model;
        this.engine = engine;
        this.process = process;
        this.onClose = onClose;
    }

    @Override
    public ModelDescriptor model() {
        return model;
    }

    @Override
    public URI baseUri() {
        return engine.baseUri();
    }

    @Override
    public String upstreamModel() {
        return engine.upstreamModel();
    }

    @Override
    public Map<String, String> requestHeaders() {
        return engine.requestHeaders();
    }

    @Override
    public int maxConnections() {
        return engine.maxConnections();
    }

    /** The engine's process this lease was granted on; null for an upstream the gateway does not run. */
    EngineProcess process() {
        return process;
    }

    @Override
    public void whenClosed(Runnable action) {
        whenClosed.add(action);
        if (closed.get() && whenClosed.remove(action)) {
            action.run();
        }
    }

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
