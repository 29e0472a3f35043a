package dev.switchboard.core.lifecycle;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the gateway schedules model starts and stops. Immutable; build one with {@link #custom()} or
 * take {@link #ofDefaults()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>maxLoaded</td><td>4</td><td>models loaded at once (llama.cpp's {@code --models-max}); 0 = no limit</td></tr>
 *   <tr><td>maxWaiting</td><td>256</td><td>requests that may wait for a model; more get 429</td></tr>
 *   <tr><td>queueTimeout</td><td>5 min</td><td>how long a request waits for its model; then 503</td></tr>
 *   <tr><td>idleTtl</td><td>none</td><td>unload a model idle this long, unless the model sets its own</td></tr>
 *   <tr><td>stopTimeout</td><td>10 s</td><td>drain and graceful-stop bound before SIGTERM/SIGKILL</td></tr>
 *   <tr><td>restartBackoff</td><td>2 s</td><td>after a failed start, requests fail fast this long</td></tr>
 *   <tr><td>autoload</td><td>true</td><td>a request for an unloaded model loads it</td></tr>
 *   <tr><td>groups</td><td>none</td><td>{@link GroupPolicy} by group name, for models that name a group</td></tr>
 * </table>
 */
public final class SchedulerConfig {
    private final int maxLoaded;
    private final int maxWaiting;
    private final Duration queueTimeout;
    private final Duration idleTtl;
    private final Duration stopTimeout;
    private final Duration restartBackoff;
    private final boolean autoload;
    private final Map<String, GroupPolicy> groups;

    private SchedulerConfig(Builder b) {
        this.maxLoaded = b.maxLoaded;
        this.maxWaiting = b.maxWaiting;
        this.queueTimeout = b.queueTimeout;
        this.idleTtl = b.idleTtl;
        this.stopTimeout = b.stopTimeout;
        this.restartBackoff = b.restartBackoff;
        this.autoload = b.autoload;
        this.groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.groups));
    }

    public static SchedulerConfig ofDefaults() {
        return custom().build();
    }

    public static Builder custom() {
        return new Builder();
    }

    public static Builder from(SchedulerConfig base) {
        return new Builder()
                .maxLoaded(base.maxLoaded)
                .maxWaiting(base.maxWaiting)
                .queueTimeout(base.queueTimeout)
                .idleTtl(base.idleTtl)
                .stopTimeout(base.stopTimeout)
                .restartBackoff(base.restartBackoff)
                .autoload(base.autoload)
                .groups(base.groups);
    }

    public int maxLoaded() {
        return maxLoaded;
    }

    public int maxWaiting() {
        return maxWaiting;
    }

    public Duration queueTimeout() {
        return queueTimeout;
    }

    /** The global idle time-to-live; {@link Duration#ZERO} means models stay loaded. */
    public Duration idleTtl() {
        return idleTtl;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    public Duration restartBackoff() {
        return restartBackoff;
    }

    public boolean autoload() {
        return autoload;
    }

    /** Group policies by group name; a model whose group is not here follows no group rule. */
    public Map<String, GroupPolicy> groups() {
        return groups;
    }

    @Override
    public String toString() {
        return "SchedulerConfig[maxLoaded=" + maxLoaded + ", maxWaiting=" + maxWaiting + ", queueTimeout="
                + queueTimeout + ", idleTtl=" + idleTtl + ", stopTimeout=" + stopTimeout + ", restartBackoff="
                + restartBackoff + ", autoload=" + autoload + ", groups=" + groups + "]";
    }

    /** Builds a {@link SchedulerConfig}; each setter validates its argument. */
    public static final class Builder {
        private int maxLoaded = 4;
        private int maxWaiting = 256;
        private Duration queueTimeout = Duration.ofMinutes(5);
        private Duration idleTtl = Duration.ZERO;
        private Duration stopTimeout = Duration.ofSeconds(10);
        private Duration restartBackoff = Duration.ofSeconds(2);
        private boolean autoload = true;
        private Map<String, GroupPolicy> groups = new LinkedHashMap<>();

        private Builder() {}

        public Builder maxLoaded(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxLoaded must be 0 (unlimited) or more, got " + value);
            }
            this.maxLoaded = value;
            return this;
        }

        public Builder maxWaiting(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxWaiting must be at least 1, got " + value);
            }
            this.maxWaiting = value;
            return this;
        }

        public Builder queueTimeout(Duration value) {
            this.queueTimeout = positive("queueTimeout", value);
            return this;
        }

        public Builder idleTtl(Duration value) {
            Objects.requireNonNull(value, "idleTtl");
            if (value.isNegative()) {
                throw new IllegalArgumentException("idleTtl must not be negative");
            }
            this.idleTtl = value;
            return this;
        }

        public Builder stopTimeout(Duration value) {
            this.stopTimeout = positive("stopTimeout", value);
            return this;
        }

        public Builder restartBackoff(Duration value) {
            Objects.requireNonNull(value, "restartBackoff");
            this.restartBackoff = value;
            return this;
        }

        public Builder autoload(boolean value) {
            this.autoload = value;
            return this;
        }

        public Builder groups(Map<String, GroupPolicy> value) {
            this.groups = new LinkedHashMap<>(Objects.requireNonNull(value, "groups"));
            return this;
        }

        public Builder group(String name, GroupPolicy policy) {
            groups.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public SchedulerConfig build() {
            return new SchedulerConfig(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
