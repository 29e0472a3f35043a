package dev.switchboard.core.placement.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/** The candidate sets of GPUs, as sorted arrays of positions in the request's GPU list. */
final class GpuSets {
    /** Above this many sets of one size only the roomiest set is tried, to bound the search. */
    static final int MAX_SETS_PER_SIZE = 1024;

    private GpuSets() {}

    /**
     * Every set of {@code size} of the {@code room.length} GPUs in lexicographic order or, when
     * there are more than {@link #MAX_SETS_PER_SIZE}, the one set of the GPUs with the most room.
     */
    static List<int[]> ofSize(int size, long[] room) {
        int n = room.length;
        if (binomialExceeds(n, size, MAX_SETS_PER_SIZE)) {
            int[] roomiest = IntStream.range(0, n)
                    .boxed()
                    .sorted(Comparator.comparingLong((Integer p) -> room[p]).reversed())
                    .limit(size)
                    .mapToInt(Integer::intValue)
                    .sorted()
                    .toArray();
            return List.of(roomiest);
        }
        List<int[]> sets = new ArrayList<>();
        collect(new int[size], 0, 0, n, sets);
        return sets;
    }

    private static void collect(int[] set, int filled, int next, int n, List<int[]> sets) {
        if (filled == set.length) {
            sets.add(set.clone());
            return;
        }
        for (int p = next; p <= n - (set.length - filled); p++) {
            set[filled] = p;
            collect(set, filled + 1, p + 1, n, sets);
        }
    }

    private static boolean binomialExceeds(int n, int k, long limit) {
        long count = 1;
        for (int i = 1; i <= Math.min(k, n - k); i++) {
            // exact at every step: the product of i consecutive integers is divisible by i!
            count = count * (n - i + 1) / i;
            if (count > limit) {
                return true;
            }
        }
        return false;
    }
}
