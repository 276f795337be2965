package io.sketchgate.policy;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay; how {@link Quotas} times out queued requests. A Netty {@code EventLoopGroup} is a
 * {@link ScheduledExecutorService}, so {@link #of} adapts either; tests pass a scheduler they drive by hand.
 * The task must be cheap: it runs on the scheduler's thread.
 */
@FunctionalInterface
public interface DelayScheduler {

    /** A scheduled task that can be called off; cancelling a task that already ran does nothing. */
    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }

    Scheduled schedule(Runnable task, Duration delay);

    static DelayScheduler of(ScheduledExecutorService executor) {
        return (task, delay) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
