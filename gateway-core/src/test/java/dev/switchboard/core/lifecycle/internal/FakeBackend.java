package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.spi.Backend;
import dev.switchboard.core.spi.LaunchContext;
import dev.switchboard.core.spi.LaunchSpec;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.ModelDescriptor;
import dev.switchboard.core.spi.ModelSource;
import dev.switchboard.core.spi.Placement;
import dev.switchboard.core.spi.WarmTier;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

/**
 * A backend whose models take the bytes their {@code bytes} option says, and whose engines sleep
 * and wake when the test completes the pending call (unless their {@code warm} option is false).
 */
final class FakeBackend implements Backend {
    static final String NAME = "fake";

    /** Sleep and wake calls in arrival order; each blocks until the test completes it. */
    final List<Call> calls = new CopyOnWriteArrayList<>();

    record Call(String kind, URI engine, CompletableFuture<Void> outcome) {}

    static ModelDescriptor model(String id, long bytes) {
        return ModelDescriptor.builder(id, NAME).options(Map.of("bytes", bytes)).build();
    }

    /** A model whose engine has no warm tier: it can only stop. */
    static ModelDescriptor withoutWarmTier(String id, long bytes) {
        return ModelDescriptor.builder(id, NAME)
                .options(Map.of("bytes", bytes, "warm", false))
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<ModelSource> sources() {
        return List.of();
    }

    @Override
    public MemoryEstimate estimate(ModelDescriptor model) {
        Object bytes = model.options().get("bytes");
        return bytes == null ? MemoryEstimate.none() : MemoryEstimate.ofBytes((Long) bytes, 0, 0);
    }

    @Override
    public LaunchSpec launch(ModelDescriptor model, Placement placement, LaunchContext context) {
        return LaunchSpec.builder(URI.create("http://127.0.0.1:" + context.port()), model.id())
                .command(List.of("fake-engine", model.id()))
                .build();
    }

    @Override
    public Optional<WarmTier> warmTier(ModelDescriptor model) {
        if (Boolean.FALSE.equals(model.options().get("warm"))) {
            return Optional.empty();
        }
        return Optional.of(new WarmTier() {
            @Override
            public void sleep(URI engine) throws IOException, InterruptedException {
                await(new Call("sleep", engine, new CompletableFuture<>()));
            }

            @Override
            public void wake(URI engine) throws IOException, InterruptedException {
                await(new Call("wake", engine, new CompletableFuture<>()));
            }
        });
    }

    private void await(Call call) throws IOException, InterruptedException {
        calls.add(call);
        try {
            call.outcome().get();
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage());
        }
    }

    /** The pending calls of one kind. */
    List<Call> pending(String kind) {
        return calls.stream()
                .filter(c -> c.kind().equals(kind) && !c.outcome().isDone())
                .toList();
    }
}
