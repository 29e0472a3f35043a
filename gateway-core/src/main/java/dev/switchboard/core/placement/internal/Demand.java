package dev.switchboard.core.placement.internal;

import java.math.BigInteger;

/**
 * The memory a model needs on a set of GPUs. GPUs are named by their position in the request's
 * GPU list; {@code available} holds what each position can give.
 */
sealed interface Demand {

    /** Bytes still missing on {@code gpus}; zero means the model fits. */
    long deficit(int[] gpus, long[] available);

    /** What to reserve on each of {@code gpus}, in their order; only called when the model fits. */
    long[] bytes(int[] gpus, long[] available);

    /** The total the model takes on {@code gpus}. */
    long total(int[] gpus);

    /** A fixed amount on each GPU, whatever else the set holds (fraction estimates, pinned unknowns). */
    final class PerGpu implements Demand {
        private final long[] needByPosition;

        PerGpu(long[] needByPosition) {
            this.needByPosition = needByPosition.clone();
        }

        @Override
        public long deficit(int[] gpus, long[] available) {
            long missing = 0;
            for (int p : gpus) {
                missing += Math.max(0, needByPosition[p] - available[p]);
            }
            return missing;
        }

        @Override
        public long[] bytes(int[] gpus, long[] available) {
            long[] bytes = new long[gpus.length];
            for (int i = 0; i < gpus.length; i++) {
                bytes[i] = needByPosition[gpus[i]];
            }
            return bytes;
        }

        @Override
        public long total(int[] gpus) {
            long total = 0;
            for (int p : gpus) {
                total += needByPosition[p];
            }
            return total;
        }
    }

    /**
     * An overhead on every GPU used plus a part (weights and KV cache) shared in proportion to the
     * room each GPU has beyond its overhead.
     */
    record Split(long perGpuBytes, long sharedBytes) implements Demand {

        @Override
        public long deficit(int[] gpus, long[] available) {
            long missingOverhead = 0;
            long room = 0;
            for (int p : gpus) {
                long left = available[p] - perGpuBytes;
                if (left < 0) {
                    missingOverhead -= left;
                } else {
                    room += left;
                }
            }
            return missingOverhead + Math.max(0, sharedBytes - room);
        }

        @Override
        public long[] bytes(int[] gpus, long[] available) {
            long[] room = new long[gpus.length];
            long totalRoom = 0;
            for (int i = 0; i < gpus.length; i++) {
                room[i] = available[gpus[i]] - perGpuBytes;
                totalRoom += room[i];
            }
            long[] shares = new long[gpus.length];
            long given = 0;
            for (int i = 0; i < gpus.length; i++) {
                shares[i] = proportion(sharedBytes, room[i], totalRoom);
                given += shares[i];
            }
            // rounding down left fewer bytes than GPUs: hand them to GPUs with room to spare
            long left = sharedBytes - given;
            for (int i = 0; i < gpus.length && left > 0; i++) {
                long extra = Math.min(left, room[i] - shares[i]);
                shares[i] += extra;
                left -= extra;
            }
            long[] bytes = new long[gpus.length];
            for (int i = 0; i < gpus.length; i++) {
                bytes[i] = perGpuBytes + shares[i];
            }
            return bytes;
        }

        @Override
        public long total(int[] gpus) {
            return perGpuBytes * gpus.length + sharedBytes;
        }

        /** {@code amount × part / whole}, rounded down; the product can exceed a long. */
        private static long proportion(long amount, long part, long whole) {
            if (whole == 0) {
                return 0;
            }
            return BigInteger.valueOf(amount)
                    .multiply(BigInteger.valueOf(part))
                    .divide(BigInteger.valueOf(whole))
                    .longValueExact();
        }
    }
}
