package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.ModelState;
import java.time.Duration;
import java.time.Instant;

/** When an idle model unloads: after its own {@code ttl}, else the scheduler's idle TTL; zero never. */
final class IdlePolicy {
    private final Duration defaultTtl;

    IdlePolicy(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    Duration ttl(ModelLifecycle lifecycle) {
        return lifecycle.model().ttl() != null ? lifecycle.model().ttl() : defaultTtl;
    }

    /** A ready model with no request in flight or waiting, unused for longer than its TTL. */
    boolean expired(ModelLifecycle lifecycle, boolean wanted, Instant now) {
        Duration ttl = ttl(lifecycle);
        return lifecycle.is(ModelState.READY)
                && lifecycle.leases == 0
                && !ttl.isZero()
                && !wanted
                && lifecycle.lastUsed.plus(ttl).isBefore(now);
    }
}
