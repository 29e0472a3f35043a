package dev.switchboard.app.stream;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The live and recently finished stream sessions, one per conversation id, with llama.cpp's
 * semantics: a new request for a conversation replaces (and stops) its previous session; a finished
 * session stays replayable for {@link #TTL}; a stop evicts it. It also remembers which model each
 * conversation was sent to from the moment its request arrives, so that a resume during the model's
 * load can answer "retry later" and a stop during the load can cancel the waiting request.
 *
 * <p>Memory is bounded: at most {@code maxSessions} sessions (the oldest finished one goes first, else
 * the oldest live one is stopped) of at most {@code capBytes} each (the oldest bytes are dropped).
 */
public final class StreamSessions {
    /** How long a finished session stays replayable, as llama.cpp keeps it. */
    public static final Duration TTL = Duration.ofSeconds(300);
    /** llama.cpp's cap on one session's bytes. */
    public static final int DEFAULT_CAP_BYTES = 4 * 1024 * 1024;

    public static final int DEFAULT_MAX_SESSIONS = 16;

    private final int maxSessions;
    private final int capBytes;
    private final LongSupplier nanos;
    private final Clock clock;
    private final AtomicLong tickets = new AtomicLong();
    private final Map<String, StreamSession> sessions = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Tracked> conversations = new LinkedHashMap<>(); // guarded by this

    /** A conversation's model and the request that named it last; {@code onStop} cancels its wait. */
    private record Tracked(String model, long ticket, Runnable onStop) {}

    public StreamSessions(int maxSessions, int capBytes, LongSupplier nanos, Clock clock) {
        if (maxSessions < 1 || capBytes < 1) {
            throw new IllegalArgumentException("maxSessions and capBytes must be positive");
        }
        this.maxSessions = maxSessions;
        this.capBytes = capBytes;
        this.nanos = nanos;
        this.clock = clock;
    }

    /** {@value #DEFAULT_MAX_SESSIONS} sessions of 4 MiB, on the system clock. */
    public static StreamSessions withDefaults() {
        return new StreamSessions(DEFAULT_MAX_SESSIONS, DEFAULT_CAP_BYTES, System::nanoTime, Clock.systemUTC());
    }

    /**
     * Records that a request for {@code conversationId} goes to {@code model}; {@code onStop} runs if
     * a stop arrives before the request is {@link #begin begun}. Returns the request's ticket.
     */
    public synchronized long remember(String conversationId, String model, Runnable onStop) {
        long ticket = tickets.incrementAndGet();
        conversations.remove(conversationId);
        conversations.put(conversationId, new Tracked(model, ticket, onStop));
        while (conversations.size() > 8 * maxSessions) {
            conversations.remove(conversations.keySet().iterator().next());
        }
        return ticket;
    }

    /** Whether the request holding {@code ticket} is still the conversation's and was not stopped. */
    public synchronized boolean alive(String conversationId, long ticket) {
        Tracked tracked = conversations.get(conversationId);
        return tracked != null && tracked.ticket() == ticket;
    }

    /** The model a conversation's last request went to. */
    public synchronized Optional<String> modelOf(String conversationId) {
        return Optional.ofNullable(conversations.get(conversationId)).map(Tracked::model);
    }

    /**
     * Starts the session of a request that now reaches its engine, replacing (and stopping) the
     * conversation's previous one; null when the request was stopped meanwhile.
     */
    public StreamSession begin(String conversationId, long ticket) {
        StreamSession previous;
        StreamSession fresh;
        synchronized (this) {
            if (!alive(conversationId, ticket)) {
                return null;
            }
            expire();
            previous = sessions.remove(conversationId);
            while (sessions.size() >= maxSessions) {
                StreamSession oldest = sessions.values().stream()
                        .min(Comparator.comparingLong(StreamSession::completedAtNanos))
                        .orElseThrow();
                sessions.remove(oldest.conversationId());
                stop(oldest);
            }
            fresh = new StreamSession(conversationId, capBytes, clock.instant().getEpochSecond());
            sessions.put(conversationId, fresh);
        }
        if (previous != null) {
            stop(previous);
        }
        return fresh;
    }

    /** Marks a session's answer complete. */
    public void finish(StreamSession session) {
        session.finish(nanos.getAsLong(), clock.instant().getEpochSecond());
    }

    /** Ends a session whose answer was not a stream (nothing to resume): it is evicted. */
    public void discard(StreamSession session) {
        synchronized (this) {
            sessions.remove(session.conversationId(), session);
        }
        finish(session);
    }

    public synchronized Optional<StreamSession> get(String conversationId) {
        expire();
        return Optional.ofNullable(sessions.get(conversationId));
    }

    /** The sessions whose id is one of {@code ids} or starts with one of them followed by {@code ::}. */
    public synchronized List<StreamSession> lookup(List<String> ids) {
        expire();
        List<StreamSession> found = new ArrayList<>();
        for (String id : ids) {
            for (StreamSession session : sessions.values()) {
                String sid = session.conversationId();
                if (sid.equals(id) || sid.startsWith(id + "::")) {
                    found.add(session);
                }
            }
        }
        return found;
    }

    /**
     * Stops a conversation: its session is cancelled and evicted, and a request still waiting for its
     * model is cancelled. Unknown ids are fine.
     */
    public void stop(String conversationId) {
        StreamSession session;
        Tracked tracked;
        synchronized (this) {
            session = sessions.remove(conversationId);
            tracked = conversations.remove(conversationId);
        }
        if (session != null) {
            stop(session);
        }
        if (tracked != null) {
            tracked.onStop().run();
        }
    }

    private void stop(StreamSession session) {
        session.cancel();
        finish(session);
    }

    /** Drops finished sessions older than the TTL; called under the lock on every access. */
    private void expire() {
        long cutoff = nanos.getAsLong() - TTL.toNanos();
        sessions.values().removeIf(s -> s.isDone() && s.completedAtNanos() - cutoff <= 0);
    }
}
