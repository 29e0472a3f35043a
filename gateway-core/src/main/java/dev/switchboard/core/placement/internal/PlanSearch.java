package dev.switchboard.core.placement.internal;

import dev.switchboard.core.placement.LoadedModel;
import dev.switchboard.core.placement.NewModel;
import dev.switchboard.core.placement.PlanRequest;
import dev.switchboard.core.placement.PlanResult;
import dev.switchboard.core.placement.PlanResult.NoFit;
import dev.switchboard.core.spi.GpuInfo;
import dev.switchboard.core.spi.MemoryEstimate;
import dev.switchboard.core.spi.Placement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The search behind {@link dev.switchboard.core.placement.Planner}; its class comment describes the
 * algorithm. GPUs are handled by position in the GPU list, sorted by device index.
 */
public final class PlanSearch {
    private static final long ONE_SECOND_MILLIS = 1000;
    private static final long FIRST_BUCKET_MILLIS = 2000;
    private static final long BUCKET_BASE = 4;

    private final PlanRequest request;
    private final List<GpuInfo> gpus;
    /** What each GPU can give before any eviction. */
    private final long[] available;

    private final List<Resident> residents;
    /** Idle residents, cheapest to lose first. */
    private final List<Resident> ranked;
    /** How many models must stop to respect maxLoaded. */
    private final int slotsToFree;

    private final Demand demand;
    private final Choices choices;

    private PlanSearch(PlanRequest request) {
        this.request = request;
        this.gpus = request.gpus().stream()
                .sorted(Comparator.comparingInt(GpuInfo::index))
                .toList();
        // in id order, so that nothing (not even a reason's wording) depends on the input's order
        this.residents = request.loaded().stream()
                .sorted(Comparator.comparing(LoadedModel::id))
                .map(model -> new Resident(model, bytesByPosition(model), weight(model, request)))
                .toList();
        this.ranked = residents.stream()
                .filter(r -> !r.model().busy())
                .sorted(Resident.CHEAPEST_TO_LOSE_FIRST)
                .toList();
        this.available = availableNow();
        this.slotsToFree =
                request.maxLoaded() == 0 ? 0 : Math.max(0, request.loaded().size() + 1 - request.maxLoaded());

        NewModel model = request.model();
        MemoryEstimate estimate = model.estimate();
        boolean unknown = !estimate.isFraction() && estimate.totalBytes() == 0;
        boolean onCpu = gpus.isEmpty() || (unknown && model.pinnedGpus().isEmpty());
        this.choices = onCpu ? Choices.only(new int[0]) : choicesFor(model);
        this.demand = demandOf(estimate, onCpu || unknown);
    }

    /** Plans the start of {@code request.model()}. */
    public static PlanResult plan(PlanRequest request) {
        return new PlanSearch(request).search();
    }

    private PlanResult search() {
        if (choices.unplaceable() != null) {
            return new NoFit(
                    NoFit.Kind.NEVER,
                    choices.unplaceable(),
                    request.model().estimate().totalBytes(),
                    0);
        }
        for (int size = choices.minSize(); size <= choices.maxSize(); size++) {
            Option best = null;
            for (int[] set : setsOfSize(size, available)) {
                Option option = evictFor(set);
                if (option != null && (best == null || Option.BEST_FIRST.compare(option, best) < 0)) {
                    best = option;
                }
            }
            if (best != null) {
                return new PlanResult.Fits(placement(best), best.evictedIds());
            }
        }
        return noFit();
    }

    /**
     * The cheapest minimal eviction set that makes the model fit on {@code set}: take ranked models
     * that are needed for a slot or free missing memory, then put back, dearest first, those that
     * turn out unneeded. Null when even every idle model is not enough.
     */
    private Option evictFor(int[] set) {
        long[] room = available.clone();
        List<Resident> evicted = new ArrayList<>();
        long deficit = demand.deficit(set, room);
        for (Resident candidate : ranked) {
            if (deficit == 0 && evicted.size() >= slotsToFree) {
                break;
            }
            candidate.addTo(room);
            long after = demand.deficit(set, room);
            if (evicted.size() < slotsToFree || after < deficit) {
                evicted.add(candidate);
                deficit = after;
            } else {
                candidate.removeFrom(room);
            }
        }
        if (deficit > 0 || evicted.size() < slotsToFree) {
            return null;
        }
        for (int i = evicted.size() - 1; i >= 0 && evicted.size() > slotsToFree; i--) {
            Resident dearest = evicted.get(i);
            dearest.removeFrom(room);
            if (demand.deficit(set, room) == 0) {
                evicted.remove(i);
            } else {
                dearest.addTo(room);
            }
        }
        return new Option(set, evicted, room, leftover(set, room));
    }

    private long leftover(int[] set, long[] room) {
        long offered = 0;
        for (int p : set) {
            offered += room[p];
        }
        return offered - demand.total(set);
    }

    private Placement placement(Option option) {
        int[] set = option.gpus();
        if (set.length == 0) {
            return Placement.cpu();
        }
        long[] bytes = demand.bytes(set, option.room());
        long total = Arrays.stream(bytes).sum();
        // the main GPU, first, is the one taking the largest share
        List<Integer> order = IntStream.range(0, set.length)
                .boxed()
                .sorted(Comparator.comparingLong((Integer i) -> bytes[i]).reversed())
                .toList();
        List<Integer> ids = new ArrayList<>();
        List<Double> split = new ArrayList<>();
        Map<Integer, Long> bytesPerGpu = new HashMap<>();
        for (int i : order) {
            int index = gpus.get(set[i]).index();
            ids.add(index);
            bytesPerGpu.put(index, bytes[i]);
            if (set.length > 1) {
                split.add(total == 0 ? 1.0 / set.length : (double) bytes[i] / total);
            }
        }
        return new Placement(ids, split, bytesPerGpu);
    }

    private PlanResult noFit() {
        NewModel model = request.model();
        Closest withNoModel = closest(withStopped(residents));
        if (withNoModel.deficit() > 0) {
            String reason = String.format(
                    "model '%s' needs %s but %s offer at most %s even with no model loaded",
                    model.id(), gib(withNoModel.needed()), gpuNames(withNoModel.gpus()), gib(withNoModel.offered()));
            return new NoFit(NoFit.Kind.NEVER, reason, withNoModel.needed(), withNoModel.offered());
        }
        Closest withIdleStopped = closest(withStopped(ranked));
        String reason;
        if (withIdleStopped.deficit() == 0) {
            reason = String.format(
                    "maxLoaded %d reached: %d loaded model(s) must stop first but only %d are idle; busy: %s",
                    request.maxLoaded(), slotsToFree, ranked.size(), busyIds(new int[0]));
        } else {
            reason = String.format(
                    "model '%s' needs %s on %s but only %s can be freed now; busy: %s",
                    model.id(),
                    gib(withIdleStopped.needed()),
                    gpuNames(withIdleStopped.gpus()),
                    gib(withIdleStopped.offered()),
                    busyIds(withIdleStopped.gpus()));
        }
        return new NoFit(NoFit.Kind.WAIT, reason, withIdleStopped.needed(), withIdleStopped.offered());
    }

    /** The candidate set that comes closest to fitting when the GPUs offer {@code room}. */
    private Closest closest(long[] room) {
        Closest closest = null;
        for (int size = choices.minSize(); size <= choices.maxSize(); size++) {
            for (int[] set : setsOfSize(size, room)) {
                long deficit = demand.deficit(set, room);
                if (closest == null || deficit < closest.deficit()) {
                    long offered = Arrays.stream(set)
                            .mapToLong(p -> Math.max(0, room[p]))
                            .sum();
                    closest = new Closest(set, deficit, demand.total(set), offered);
                }
            }
        }
        return closest;
    }

    private List<int[]> setsOfSize(int size, long[] room) {
        return choices.fixedSet() != null ? List.of(choices.fixedSet()) : GpuSets.ofSize(size, room);
    }

    private long[] withStopped(List<Resident> stopped) {
        long[] room = available.clone();
        stopped.forEach(r -> r.addTo(room));
        return room;
    }

    /** Busy models holding memory on {@code set}, or all busy models when none does. */
    private String busyIds(int[] set) {
        List<String> onSet = residents.stream()
                .filter(r -> r.model().busy() && Arrays.stream(set).anyMatch(p -> r.bytes()[p] > 0))
                .map(r -> r.model().id())
                .toList();
        List<String> ids = onSet.isEmpty()
                ? residents.stream()
                        .filter(r -> r.model().busy())
                        .map(r -> r.model().id())
                        .toList()
                : onSet;
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    /**
     * The smaller of the two views of each GPU (see {@link PlanRequest}): reported free memory
     * less reservations, and total memory less what loaded models hold.
     */
    private long[] availableNow() {
        long[] room = new long[gpus.size()];
        for (int p = 0; p < room.length; p++) {
            GpuInfo gpu = gpus.get(p);
            long held = 0;
            for (Resident r : residents) {
                held += r.bytes()[p];
            }
            long reported = gpu.freeBytes() - request.reservedBytes().getOrDefault(gpu.index(), 0L);
            room[p] = Math.min(reported, gpu.totalBytes() - held);
        }
        return room;
    }

    /** The GPU sets the model may use: its pins, or sets of the size its estimate asks for. */
    private Choices choicesFor(NewModel model) {
        if (!model.pinnedGpus().isEmpty()) {
            int[] pinned = positions(model.pinnedGpus());
            return pinned != null
                    ? Choices.only(pinned)
                    : Choices.never(String.format(
                            "model '%s' is pinned to GPUs %s but the GPUs present are %s",
                            model.id(), model.pinnedGpus(), indexes(gpus)));
        }
        MemoryEstimate estimate = model.estimate();
        int wanted = estimate.isFraction() ? Math.max(1, estimate.gpuCount()) : estimate.gpuCount();
        if (wanted > gpus.size()) {
            return Choices.never(
                    String.format("model '%s' needs %d GPUs but only %d are present", model.id(), wanted, gpus.size()));
        }
        return wanted > 0 ? Choices.sizes(wanted, wanted) : Choices.sizes(1, gpus.size());
    }

    private Demand demandOf(MemoryEstimate estimate, boolean nothingReserved) {
        if (nothingReserved) {
            return new Demand.PerGpu(new long[gpus.size()]);
        }
        if (estimate.isFraction()) {
            long[] need = gpus.stream()
                    .mapToLong(gpu -> (long) Math.ceil(estimate.gpuFraction() * gpu.totalBytes()))
                    .toArray();
            return new Demand.PerGpu(need);
        }
        return new Demand.Split(estimate.overheadBytes(), estimate.weightsBytes() + estimate.kvCacheBytes());
    }

    private long[] bytesByPosition(LoadedModel model) {
        return gpus.stream().mapToLong(gpu -> model.bytesOn(gpu.index())).toArray();
    }

    /** Positions of the given device indexes, or null when one is absent. */
    private int[] positions(List<Integer> indexes) {
        List<Integer> present = indexes(gpus);
        if (!present.containsAll(indexes)) {
            return null;
        }
        return indexes.stream().mapToInt(present::indexOf).sorted().toArray();
    }

    /**
     * The expected cost of losing a model: its reload time, in {@linkplain #reloadBucket buckets},
     * times how often it is expected back, about once per time since last use (at least a second,
     * so a model used just now ranks like one used a second ago). Within one bucket this orders
     * by last use alone: exact least recently used.
     */
    private static double weight(LoadedModel model, PlanRequest request) {
        long age = Math.max(
                ONE_SECOND_MILLIS,
                Duration.between(model.lastUsed(), request.now()).toMillis());
        return (double) reloadBucket(model.reloadCost()) / age;
    }

    /**
     * A reload cost rounded down to a power of four from {@value #FIRST_BUCKET_MILLIS} ms: under 8
     * s, 8 to 32 s, 32 to 128 s and so on. Measured start times jitter by seconds on a loaded
     * machine; buckets this coarse keep that from reordering models of similar cost, while a
     * minute-long load still weighs far more than a quick one.
     */
    static long reloadBucket(Duration reloadCost) {
        long millis = reloadCost.toMillis();
        long bucket = FIRST_BUCKET_MILLIS;
        while (bucket <= millis / BUCKET_BASE) {
            bucket *= BUCKET_BASE;
        }
        return bucket;
    }

    private static List<Integer> indexes(List<GpuInfo> gpus) {
        return gpus.stream().map(GpuInfo::index).toList();
    }

    private String gpuNames(int[] set) {
        String ids = Arrays.stream(set)
                .mapToObj(p -> String.valueOf(gpus.get(p).index()))
                .collect(Collectors.joining(", "));
        return (set.length == 1 ? "GPU " : "GPUs ") + ids;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    /** A loaded model with its memory by GPU position and its expected cost of losing it. */
    private record Resident(LoadedModel model, long[] bytes, double weight) {
        static final Comparator<Resident> CHEAPEST_TO_LOSE_FIRST = Comparator.comparingInt(
                        (Resident r) -> r.model().priority())
                .thenComparingDouble(Resident::weight)
                .thenComparing(r -> r.model().lastUsed())
                .thenComparing(r -> r.model().id());

        void addTo(long[] room) {
            for (int p = 0; p < room.length; p++) {
                room[p] += bytes[p];
            }
        }

        void removeFrom(long[] room) {
            for (int p = 0; p < room.length; p++) {
                room[p] -= bytes[p];
            }
        }
    }

    /** A workable choice: the GPU set, the models to evict and the room left for the model. */
    private record Option(int[] gpus, List<Resident> evicted, long[] room, long leftover) {
        /** Cheapest evictions (highest priority lost, total expected cost, count), then best fit. */
        static final Comparator<Option> BEST_FIRST = Comparator.comparingInt(Option::highestPriorityLost)
                .thenComparingDouble(Option::costLost)
                .thenComparingInt(o -> o.evicted().size())
                .thenComparingLong(Option::leftover);

        int highestPriorityLost() {
            return evicted.stream().mapToInt(r -> r.model().priority()).max().orElse(Integer.MIN_VALUE);
        }

        double costLost() {
            return evicted.stream().mapToDouble(Resident::weight).sum();
        }

        List<String> evictedIds() {
            return evicted.stream().map(r -> r.model().id()).toList();
        }
    }

    /**
     * The GPU sets to search: the one {@code fixedSet} (pins, or the empty set for the CPU), or
     * every set from {@code minSize} to {@code maxSize} GPUs; {@code unplaceable} says why there is
     * none.
     */
    private record Choices(int[] fixedSet, int minSize, int maxSize, String unplaceable) {
        static Choices only(int[] set) {
            return new Choices(set, set.length, set.length, null);
        }

        static Choices sizes(int minSize, int maxSize) {
            return new Choices(null, minSize, maxSize, null);
        }

        static Choices never(String reason) {
            return new Choices(null, 1, 0, reason);
        }
    }

    /** How close a GPU set comes to fitting the model. */
    private record Closest(int[] gpus, long deficit, long needed, long offered) {}
}
