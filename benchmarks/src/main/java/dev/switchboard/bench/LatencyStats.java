package dev.switchboard.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Latency percentiles and throughput of one measured run. */
record LatencyStats(String label, int requests, Duration elapsed, double p50Millis, double p99Millis) {

    static LatencyStats of(String label, List<Long> nanos, Duration elapsed) {
        long[] sorted = nanos.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new LatencyStats(
                label, sorted.length, elapsed, percentile(sorted, 0.50) / 1e6, percentile(sorted, 0.99) / 1e6);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    double throughput() {
        return requests / (elapsed.toNanos() / 1e9);
    }

    String row() {
        return String.format(
                Locale.ROOT, "| %s | %d | %.0f | %.2f | %.2f |", label, requests, throughput(), p50Millis, p99Millis);
    }
}
