package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.lifecycle.ModelState;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Predicate;

/** When an idle model unloads: after its own {@code ttl}, else the scheduler's idle TTL; zero never. */
final class IdlePolicy {
    private final Duration defaultTtl;

    IdlePolicy(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    Duration ttl(ModelLifecycle lifecycle) {
        return lifecycle.model().ttl() != null ? lifecycle.model().ttl() : defaultTtl;
    }

    /**
     * When the model unloads if nothing uses it meanwhile: for a ready model with no request in
     * flight or waiting, its last use plus its TTL; empty for any other.
     */
    Optional<Instant> expiry(ModelLifecycle lifecycle, boolean wanted) {
        Duration ttl = ttl(lifecycle);
        if (!lifecycle.is(ModelState.READY) || lifecycle.leases > 0 || ttl.isZero() || wanted) {
            return Optional.empty();
        }
        return Optional.of(lifecycle.lastUsed.plus(ttl));
    }

    /** Whether the model's TTL has run out by {@code now}. */
    boolean expired(ModelLifecycle lifecycle, boolean wanted, Instant now) {
        return expiry(lifecycle, wanted).filter(at -> !at.isAfter(now)).isPresent();
    }

    /** The earliest expiry among the models; empty when none can expire. */
    Optional<Instant> next(Collection<ModelLifecycle> models, Predicate<String> wanted) {
        return models.stream()
                .flatMap(lifecycle -> expiry(lifecycle, wanted.test(lifecycle.id())).stream())
                .min(Comparator.naturalOrder());
    }
}
