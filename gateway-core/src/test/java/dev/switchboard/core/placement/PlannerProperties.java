package dev.switchboard.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the {@link Planner} over random worlds: up to four GPUs, up to six loaded models
 * (sizes, busy, persistent, priorities, last use, reload costs), other processes' memory,
 * reservations, {@code maxLoaded}, and a new model with an optional pin. Persistent models reach
 * the planner as busy (it has one notion of a model that must stay), so both are generated and
 * both must survive. The fit rules are restated here from {@link Planner}'s contract, not taken
 * from its code: a byte estimate needs its overhead on every GPU it uses and its weights and KV
 * cache in the room left across them.
 */
class PlannerProperties {
    private static final long GIB = 1L << 30;
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final int TRIES = 400;

    @Property(tries = TRIES)
    void neverOverbooksAGpuNorMaxLoaded(@ForAll("worlds") World world) {
        PlanResult result = Planner.plan(world.request());
        Statistics.collect(
                result instanceof PlanResult.Fits fits && !fits.evict().isEmpty());
        Statistics.coverage(coverage -> coverage.check(true).percentage(p -> p > 10));

        if (result instanceof PlanResult.Fits fits) {
            Set<String> evicted = new HashSet<>(fits.evict());
            assertThat(evicted).hasSameSizeAs(fits.evict());
            Map<Integer, Long> room = world.roomAfterStopping(evicted);
            fits.placement().bytesPerGpu().forEach((gpu, bytes) -> {
                if (bytes > 0) {
                    assertThat(bytes).as("bytes on GPU %d", gpu).isLessThanOrEqualTo(room.get(gpu));
                }
            });
            assertThat(world.fits(fits.placement().gpuIds(), room)).isTrue();
            if (world.maxLoaded() > 0) {
                assertThat(world.loaded().size() - evicted.size() + 1).isLessThanOrEqualTo(world.maxLoaded());
            }
        }
    }

    @Property(tries = TRIES)
    void neverEvictsABusyOrPersistentModel(@ForAll("worlds") World world) {
        if (Planner.plan(world.request()) instanceof PlanResult.Fits fits) {
            Set<String> mustStay = new HashSet<>();
            world.loaded().stream().filter(LoadedModel::busy).forEach(m -> mustStay.add(m.id()));
            assertThat(fits.evict()).noneMatch(mustStay::contains);
            assertThat(world.ids()).containsAll(fits.evict());
        }
    }

    @Property(tries = TRIES)
    void evictsNoModelThatCouldStay(@ForAll("worlds") World world) {
        if (Planner.plan(world.request()) instanceof PlanResult.Fits fits) {
            Placement placement = fits.placement();
            for (String kept : fits.evict()) {
                Set<String> rest = new HashSet<>(fits.evict());
                rest.remove(kept);
                boolean slotsAllow =
                        world.maxLoaded() == 0 || world.loaded().size() - rest.size() + 1 <= world.maxLoaded();
                boolean memoryAllows = world.fits(placement.gpuIds(), world.roomAfterStopping(rest));
                assertThat(slotsAllow && memoryAllows)
                        .as("'%s' could stay among evictions %s", kept, fits.evict())
                        .isFalse();
            }
        }
    }

    @Property(tries = TRIES)
    void givesTheSamePlanForTheSameInputInAnyOrder(@ForAll("worlds") World world, @ForAll Random random) {
        PlanRequest request = world.request();
        List<LoadedModel> shuffled = new ArrayList<>(request.loaded());
        Collections.shuffle(shuffled, random);
        List<GpuInfo> gpus = new ArrayList<>(request.gpus());
        Collections.shuffle(gpus, random);
        PlanRequest reordered = new PlanRequest(
                gpus, request.reservedBytes(), shuffled, request.maxLoaded(), request.model(), request.now());

        PlanResult first = Planner.plan(request);

        assertThat(Planner.plan(request)).isEqualTo(first);
        assertThat(Planner.plan(reordered)).isEqualTo(first);
    }

    @Property(tries = TRIES)
    void evictsExactlyTheLeastRecentlyUsedIdleModelsWhenReloadCostsAreEqual(
            @ForAll("lruWorlds") List<LoadedModel> loaded, @ForAll("reloadCosts") Duration reload) {
        assertLeastRecentlyUsedEvicted(
                loaded.stream().map(m -> withReload(m, reload)).toList());
    }

    @Property(tries = TRIES)
    void evictsExactlyTheLeastRecentlyUsedIdleModelsWhenReloadCostsDifferByStartJitter(
            @ForAll("lruWorlds") List<LoadedModel> loaded, @ForAll Random random) {
        // quick starts, as measured on a loaded machine: anywhere from none to just under 8 s
        assertLeastRecentlyUsedEvicted(loaded.stream()
                .map(m -> withReload(m, Duration.ofMillis(random.nextInt(8000))))
                .toList());
    }

    private static void assertLeastRecentlyUsedEvicted(List<LoadedModel> loaded) {
        for (int maxLoaded = 1; maxLoaded <= loaded.size() + 1; maxLoaded++) {
            PlanResult result = Planner.plan(new PlanRequest(
                    List.of(), Map.of(), loaded, maxLoaded, NewModel.of("new", MemoryEstimate.none()), NOW));
            int slots = loaded.size() + 1 - maxLoaded;
            List<String> leastRecentlyUsed = loaded.stream()
                    .filter(m -> !m.busy())
                    .sorted(Comparator.comparing(LoadedModel::lastUsed).thenComparing(LoadedModel::id))
                    .map(LoadedModel::id)
                    .toList();
            if (leastRecentlyUsed.size() < slots) {
                assertThat(result).isInstanceOf(PlanResult.NoFit.class);
                assertThat(((PlanResult.NoFit) result).kind()).isEqualTo(PlanResult.NoFit.Kind.WAIT);
            } else {
                assertThat(result).isInstanceOf(PlanResult.Fits.class);
                assertThat(((PlanResult.Fits) result).evict()).isEqualTo(leastRecentlyUsed.subList(0, slots));
            }
        }
    }

    private static LoadedModel withReload(LoadedModel model, Duration reload) {
        return new LoadedModel(
                model.id(), model.bytesPerGpu(), model.busy(), model.lastUsed(), model.priority(), reload);
    }

    @Provide
    Arbitrary<List<LoadedModel>> lruWorlds() {
        Arbitrary<LoadedModel> model = Combinators.combine(
                        Arbitraries.integers().between(0, 600),
                        Arbitraries.integers().between(0, 4))
                .as((ago, roll) -> new LoadedModel("m", Map.of(), roll == 0, NOW.minusSeconds(ago), 0, Duration.ZERO));
        return model.list().ofMaxSize(6).map(PlannerProperties::withDistinctIds);
    }

    @Provide
    Arbitrary<Duration> reloadCosts() {
        return Arbitraries.longs().between(0, 600_000).map(Duration::ofMillis);
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<ModelSpec> model = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 40),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 3600),
                        Arbitraries.integers().between(0, 120_000))
                .as((gpu, gib, roll, priority, ago, reload) ->
                        new ModelSpec(gpu, gib, roll == 0, roll == 1, priority, ago, reload));
        Arbitrary<Integer> pinMask = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(1, Arbitraries.integers().between(1, 31)));
        return Combinators.combine(
                        Arbitraries.integers().between(8, 80).list().ofMaxSize(4),
                        model.list().ofMaxSize(6),
                        Arbitraries.integers().between(0, 4).list().ofSize(4),
                        Arbitraries.integers().between(0, 2).list().ofSize(4),
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 100),
                        Arbitraries.integers().between(0, 2),
                        pinMask)
                .as(World::of);
    }

    /** A loaded model as generated: which GPU (modulo those present), how big, which flags. */
    record ModelSpec(int gpu, int gib, boolean busy, boolean persistent, int priority, int ago, int reloadMillis) {}

    /**
     * A consistent snapshot: every loaded model fits where it is, free memory is what the models
     * and other processes leave.
     */
    record World(
            List<GpuInfo> gpus, Map<Integer, Long> reserved, List<LoadedModel> loaded, int maxLoaded, NewModel model) {

        static World of(
                List<Integer> totalsGib,
                List<ModelSpec> specs,
                List<Integer> otherGib,
                List<Integer> reservedGib,
                int maxLoaded,
                int weightsGib,
                int overheadGib,
                int pinMask) {
            int n = totalsGib.size();
            long[] held = new long[n];
            List<LoadedModel> loaded = new ArrayList<>();
            for (ModelSpec spec : specs) {
                Map<Integer, Long> bytes = Map.of();
                if (n > 0) {
                    int gpu = spec.gpu() % n;
                    long size = spec.gib() * GIB;
                    if (held[gpu] + size > totalsGib.get(gpu) * GIB) {
                        continue;
                    }
                    held[gpu] += size;
                    bytes = Map.of(gpu, size);
                }
                loaded.add(new LoadedModel(
                        "m" + loaded.size(),
                        bytes,
                        // a persistent model is protected: the planner sees it as busy
                        spec.busy() || spec.persistent(),
                        NOW.minusSeconds(spec.ago()),
                        spec.priority(),
                        Duration.ofMillis(spec.reloadMillis())));
            }
            List<GpuInfo> gpus = new ArrayList<>();
            Map<Integer, Long> reserved = new HashMap<>();
            for (int i = 0; i < n; i++) {
                long total = totalsGib.get(i) * GIB;
                long used = Math.min(total, held[i] + otherGib.get(i) * GIB);
                gpus.add(new GpuInfo(i, "GPU-" + i, "test GPU", total, used, total - used));
                if (reservedGib.get(i) > 0) {
                    reserved.put(i, reservedGib.get(i) * GIB);
                }
            }
            List<Integer> pins = new ArrayList<>();
            for (int bit = 0; bit < 5; bit++) {
                if ((pinMask & (1 << bit)) != 0) {
                    pins.add(bit); // bit 4 and those beyond n name absent GPUs
                }
            }
            MemoryEstimate estimate = weightsGib == 0
                    ? MemoryEstimate.none()
                    : MemoryEstimate.ofBytes(weightsGib * GIB / 2, weightsGib * GIB / 4, overheadGib * GIB);
            return new World(gpus, reserved, loaded, maxLoaded, new NewModel("new", estimate, pins));
        }

        PlanRequest request() {
            return new PlanRequest(gpus, reserved, loaded, maxLoaded, model, NOW);
        }

        List<String> ids() {
            return loaded.stream().map(LoadedModel::id).toList();
        }

        /** What each GPU can give once {@code stopped} are gone, as {@link PlanRequest} defines it. */
        Map<Integer, Long> roomAfterStopping(Set<String> stopped) {
            Map<Integer, Long> room = new HashMap<>();
            for (GpuInfo gpu : gpus) {
                long held = loaded.stream()
                        .filter(m -> !stopped.contains(m.id()))
                        .mapToLong(m -> m.bytesOn(gpu.index()))
                        .sum();
                long stoppedHere = loaded.stream()
                        .filter(m -> stopped.contains(m.id()))
                        .mapToLong(m -> m.bytesOn(gpu.index()))
                        .sum();
                long reported = gpu.freeBytes() + stoppedHere - reserved.getOrDefault(gpu.index(), 0L);
                room.put(gpu.index(), Math.min(reported, gpu.totalBytes() - held));
            }
            return room;
        }

        /** Whether the new model fits on {@code gpuIds} given {@code room} (on the CPU it always does). */
        boolean fits(List<Integer> gpuIds, Map<Integer, Long> room) {
            MemoryEstimate estimate = model.estimate();
            if (gpus.isEmpty() || estimate.totalBytes() == 0) {
                return true;
            }
            long shared = 0;
            for (int gpu : gpuIds) {
                long left = room.get(gpu) - estimate.overheadBytes();
                if (left < 0) {
                    return false;
                }
                shared += left;
            }
            return shared >= estimate.weightsBytes() + estimate.kvCacheBytes();
        }
    }

    /** Gives models the ids m0, m1, ... in list order. */
    private static List<LoadedModel> withDistinctIds(List<LoadedModel> models) {
        List<LoadedModel> renamed = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            LoadedModel m = models.get(i);
            renamed.add(
                    new LoadedModel("m" + i, m.bytesPerGpu(), m.busy(), m.lastUsed(), m.priority(), m.reloadCost()));
        }
        return renamed;
    }
}
