package dev.switchboard.core.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SystemSchedulerClockTest {

    @Test
    void aPeriodicTaskThatThrowsKeepsRunningAndIsCounted() {
        AtomicInteger runs = new AtomicInteger();
        try (SchedulerClock clock = SchedulerClock.system()) {
            clock.every("flaky", Duration.ofMillis(5), () -> {
                if (runs.incrementAndGet() % 2 == 1) {
                    throw new IllegalStateException("boom");
                }
            });

            await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() >= 6);
            assertThat(clock.taskFailures()).isGreaterThanOrEqualTo(3);
        }
    }
}
