package dev.switchboard.core.lifecycle.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The idle check, armed for the earliest TTL expiry only: no task runs while nothing can expire,
 * and none between one expiry and the next. Guarded by the manager's lock.
 */
final class IdleTimer {
    private final SchedulerClock clock;
    private final Runnable check;
    /** When the check is armed for; null when it is not. */
    private Instant armedFor;

    private Runnable cancel = () -> {};

    IdleTimer(SchedulerClock clock, Runnable check) {
        this.clock = clock;
        this.check = check;
    }

    /** Arms the check for {@code next}, or disarms it when empty; nothing when armed for it already. */
    void arm(Optional<Instant> next) {
        Instant at = next.orElse(null);
        if (Objects.equals(at, armedFor)) {
            return;
        }
        cancel.run();
        armedFor = at;
        if (at == null) {
            cancel = () -> {};
            return;
        }
        Duration delay = Duration.between(clock.now(), at);
        cancel = clock.schedule(delay.isNegative() ? Duration.ZERO : delay, check);
    }

    /** The armed check is running: the next {@link #arm} schedules the one after. */
    void fired() {
        armedFor = null;
    }
}
