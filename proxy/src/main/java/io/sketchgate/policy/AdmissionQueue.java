package io.sketchgate.policy;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One user's slots for one {@code max_concurrent}/{@code max_queue}/{@code max_queue_time} setting: at most
 * {@code max_concurrent} permits are out at once; further requests wait first-in first-out, at most
 * {@code max_queue} of them, each at most {@code max_queue_time}.
 *
 * <p>A released slot passes straight to the oldest waiter, so {@code held} does not drop and rise again and
 * no late arrival overtakes the queue. State is guarded by this object's monitor, held only for a few field
 * updates; futures are completed outside it, since completing runs the caller's callbacks.
 *
 * <p>When the last permit is released with no one waiting the queue <em>retires</em>: it removes itself from
 * {@link ConcurrencyLimiter}'s map and refuses further acquires, whose callers then look up (and create) a
 * fresh one. So an idle user costs no memory, and a queue is never dropped while it holds permits, which a
 * cache evicting on a timer could do.
 */
final class AdmissionQueue {
    /** A hint only: a slot may free any moment, and Kibana does not retry by itself. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final String user;
    private final int maxConcurrent;
    private final int maxQueue;
    private final DelayScheduler scheduler;
    private final Consumer<AdmissionQueue> onRetire;

    // guarded by this
    private int held;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean retired;

    private static final class Waiter {
        final CompletableFuture<Permit> future = new CompletableFuture<>();
        volatile DelayScheduler.Scheduled timeout;
    }

    /** @param maxQueue {@link Integer#MAX_VALUE} for a queue without bound */
    AdmissionQueue(
            String user, int maxConcurrent, int maxQueue, DelayScheduler scheduler, Consumer<AdmissionQueue> onRetire) {
        this.user = user;
        this.maxConcurrent = maxConcurrent;
        this.maxQueue = maxQueue;
        this.scheduler = scheduler;
        this.onRetire = onRetire;
    }

    /**
     * A permit now, a queued future, or a failed future when the queue is full; null when retired. The limits
     * are the request's own, with the values this queue was made for; their sources go into messages.
     */
    CompletableFuture<Permit> tryAcquire(
            Limit<Integer> concurrentLimit,
            Optional<Limit<Integer>> queueLimit,
            Optional<Limit<Duration>> queueTimeLimit) {
        Waiter waiter = null;
        int running;
        synchronized (this) {
            if (retired) {
                return null;
            }
            if (held < maxConcurrent) {
                held++;
                return CompletableFuture.completedFuture(new Slot());
            }
            running = held;
            if (waiting.size() < maxQueue) {
                waiter = new Waiter();
                waiting.addLast(waiter);
            }
        }
        if (waiter == null) {
            return CompletableFuture.failedFuture(
                    queueFull(running, concurrentLimit, queueLimit).toException());
        }
        Waiter queued = waiter;
        queued.future.whenComplete((permit, error) -> {
            DelayScheduler.Scheduled timeout = queued.timeout;
            if (timeout != null) {
                timeout.cancel();
            }
            if (queued.future.isCancelled()) {
                withdraw(queued);
            }
        });
        queueTimeLimit.ifPresent(limit -> {
            queued.timeout = scheduler.schedule(() -> timeOut(queued, concurrentLimit, limit), limit.value());
            if (queued.future.isDone()) {
                queued.timeout.cancel();
            }
        });
        return queued.future;
    }

    synchronized int held() {
        return held;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    private void withdraw(Waiter waiter) {
        synchronized (this) {
            waiting.remove(waiter);
        }
    }

    private void timeOut(Waiter waiter, Limit<Integer> concurrentLimit, Limit<Duration> queueTimeLimit) {
        boolean removed;
        synchronized (this) {
            removed = waiting.remove(waiter);
        }
        if (removed) {
            waiter.future.completeExceptionally(
                    queueTimeout(concurrentLimit, queueTimeLimit).toException());
        }
    }

    /** Hands the slot to the oldest waiter still waiting, else frees it. */
    private void release() {
        while (true) {
            Waiter next;
            boolean retire = false;
            synchronized (this) {
                next = waiting.pollFirst();
                if (next == null) {
                    held--;
                    if (held == 0) {
                        retired = true;
                        retire = true;
                    }
                }
            }
            if (next == null) {
                if (retire) {
                    onRetire.accept(this);
                }
                return;
            }
            if (next.future.complete(new Slot())) {
                return;
            }
            // The waiter's client went away between poll and complete; the slot goes to the next one.
        }
    }

    private Rejection queueFull(int running, Limit<Integer> concurrentLimit, Optional<Limit<Integer>> queueLimit) {
        String limits = Messages.describe(
                queueLimit.isPresent() ? List.of(concurrentLimit, queueLimit.get()) : List.of(concurrentLimit));
        return Rejection.tooManyRequests(
                "queue_full",
                "User " + user + " already has " + running + (running == 1 ? " request" : " requests") + " running"
                        + (maxQueue > 0 ? " and " + maxQueue + " waiting" : "") + " (" + limits + "). Wait for them to"
                        + " finish and try again, or " + Messages.RAISE,
                RETRY_AFTER);
    }

    private Rejection queueTimeout(Limit<Integer> concurrentLimit, Limit<Duration> queueTimeLimit) {
        return Rejection.tooManyRequests(
                "queue_timeout",
                "User " + user + " waited " + HumanDurations.formatLimit(queueTimeLimit.value())
                        + " for one of " + concurrentLimit.value()
                        + " request slots, but the requests running did not finish"
                        + " in time (" + Messages.describe(List.of(concurrentLimit, queueTimeLimit))
                        + "). Wait for them to"
                        + " finish and try again, or " + Messages.RAISE,
                RETRY_AFTER);
    }

    private final class Slot implements Permit {
        private final AtomicBoolean released = new AtomicBoolean();

        @Override
        public void release() {
            if (released.compareAndSet(false, true)) {
                AdmissionQueue.this.release();
            }
        }
    }
}
