package dev.switchboard.core.placement.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FootprintLedgerTest {
    private final FootprintLedger ledger = new FootprintLedger();

    @Test
    void knowsNothingOfAModelNeverRecorded() {
        assertThat(ledger.learnedBytes("m", 1)).isEmpty();
    }

    @Test
    void returnsWhatWasRecordedForTheSameGpuCount() {
        ledger.record("m", 1, 1000);

        assertThat(ledger.learnedBytes("m", 1)).contains(1000L);
        assertThat(ledger.learnedBytes("m", 2)).isEmpty();
    }

    @Test
    void keepsTheLargestReading() {
        ledger.record("m", 1, 1000);
        ledger.record("m", 1, 800);

        assertThat(ledger.learnedBytes("m", 1)).contains(1000L);
    }

    @Test
    void sumsTheMemoryOfTheModelsProcesses() {
        Map<Long, Long> memoryByPid = Map.of(10L, 500L, 11L, 300L, 99L, 7000L);

        assertThat(ledger.recordProcesses("m", 2, List.of(10L, 11L), memoryByPid))
                .contains(800L);
        assertThat(ledger.learnedBytes("m", 2)).contains(800L);
    }

    @Test
    void recordsNothingWhenNoneOfTheProcessesHoldsGpuMemory() {
        assertThat(ledger.recordProcesses("m", 1, List.of(10L), Map.of(99L, 7000L)))
                .isEmpty();
        assertThat(ledger.learnedBytes("m", 1)).isEmpty();
    }

    @Test
    void forgetsEveryGpuCountOfAModel() {
        ledger.record("m", 1, 1000);
        ledger.record("m", 2, 1200);
        ledger.record("other", 1, 50);

        ledger.forget("m");

        assertThat(ledger.learnedBytes("m", 1)).isEmpty();
        assertThat(ledger.learnedBytes("m", 2)).isEmpty();
        assertThat(ledger.learnedBytes("other", 1)).contains(50L);
    }

    @Test
    void keepsTheLargestOfConcurrentReadings() {
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            IntStream.rangeClosed(1, 1000).forEach(bytes -> threads.submit(() -> ledger.record("m", 1, bytes)));
        }

        assertThat(ledger.learnedBytes("m", 1)).contains(1000L);
    }
}
