package dev.switchboard.core.lifecycle.internal;

import dev.switchboard.core.GatewayException;
import dev.switchboard.core.lifecycle.Lease;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The requests waiting for models: a FIFO queue with one entry per model, however many requests
 * wait for it. Guarded by the manager's lock; futures are completed later, through the manager's
 * completion list, once the lock is released.
 */
final class WaitQueue implements Iterable<WaitQueue.Demand> {
    private final ArrayDeque<Demand> demands = new ArrayDeque<>();
    private final List<Runnable> completions;
    private int waiting;

    WaitQueue(List<Runnable> completions) {
        this.completions = completions;
    }

    /** Requests waiting now. */
    int waiting() {
        return waiting;
    }

    boolean isEmpty() {
        return demands.isEmpty();
    }

    /** Adds a request for the model, behind the model's entry (or a new one at the back). */
    Waiter join(String modelId) {
        Demand demand = demands.stream()
                .filter(d -> d.modelId.equals(modelId))
                .findFirst()
                .orElseGet(() -> {
                    Demand created = new Demand(modelId);
                    demands.addLast(created);
                    return created;
                });
        Waiter waiter = new Waiter(demand);
        demand.waiters.add(waiter);
        waiting++;
        return waiter;
    }

    /** A model someone is queued for is not idle, whatever its lease count says. */
    boolean wanted(String modelId) {
        return demands.stream().anyMatch(d -> d.modelId.equals(modelId) && !d.waiters.isEmpty());
    }

    /**
     * Takes a request that went away out of the queue; its model's entry goes too when nobody else
     * waits and no start was begun for it (so a waiter that leaves causes no eviction).
     *
     * @return whether it was still waiting
     */
    boolean leave(Waiter waiter) {
        if (!waiter.demand.waiters.remove(waiter)) {
            return false;
        }
        waiting--;
        if (waiter.demand.waiters.isEmpty() && !waiter.demand.started) {
            demands.remove(waiter.demand);
        }
        return true;
    }

    /** Fails every request waiting for the model and drops its entry. */
    void failAll(String modelId, GatewayException error) {
        Iterator<Demand> it = demands.iterator();
        while (it.hasNext()) {
            Demand demand = it.next();
            if (demand.modelId.equals(modelId)) {
                List.copyOf(demand.waiters).forEach(waiter -> waiter.fail(error));
                it.remove();
            }
        }
    }

    /** Fails every waiting request and empties the queue. */
    void failEverything(GatewayException error) {
        for (Demand demand : demands) {
            List.copyOf(demand.waiters).forEach(waiter -> waiter.fail(error));
        }
        demands.clear();
    }

    @Override
    public Iterator<Demand> iterator() {
        return demands.iterator();
    }

    /** The requests waiting for one model. */
    static final class Demand {
        final String modelId;
        final List<Waiter> waiters = new ArrayList<>();
        /** Whether a start or wake was begun for these requests. */
        boolean started;

        Demand(String modelId) {
            this.modelId = modelId;
        }
    }

    /** One waiting request. */
    final class Waiter {
        final Demand demand;
        final CompletableFuture<Lease> future = new CompletableFuture<>();
        /** Cancels the queue time-out. */
        Runnable cancelTimeout = () -> {};

        Waiter(Demand demand) {
            this.demand = demand;
        }

        boolean waiting() {
            return demand.waiters.contains(this);
        }

        /** Hands a lease over; if the client already left, the lease goes straight back. */
        void grant(Lease lease) {
            if (demand.waiters.remove(this)) {
                waiting--;
            }
            completions.add(() -> {
                if (!future.complete(lease)) {
                    lease.close();
                }
            });
        }

        void fail(GatewayException error) {
            if (demand.waiters.remove(this)) {
                waiting--;
            }
            completions.add(() -> future.completeExceptionally(error));
        }
    }
}
