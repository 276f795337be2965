package io.sketchgate.transport;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One timer per client connection for its deadlines ({@code limits.header_timeout} while a request head arrives,
 * {@code limits.response_timeout} while the response is awaited; never both at once). Scheduling and cancelling
 * a task per request costs an allocation and two priority-queue operations on the event loop; here a deadline is
 * two field writes. At most one task is scheduled: when it fires before the current deadline (the deadline moved
 * later since), it schedules itself again for the rest, so an expiry is never early and never later than the
 * deadline plus the event loop's own delay. Used on the connection's event loop only.
 */
final class ConnectionTimer {
    private static final long DISARMED = Long.MIN_VALUE;

    private final EventExecutor loop;
    private long deadlineNanos = DISARMED;
    private Runnable onExpiry;
    private ScheduledFuture<?> scheduled;
    private long scheduledForNanos;
    private final Runnable fire = this::fire;

    ConnectionTimer(EventExecutor loop) {
        this.loop = loop;
    }

    /** Runs {@code onExpiry} once {@code timeoutNanos} have passed, unless re-armed or disarmed before. */
    void arm(long timeoutNanos, Runnable onExpiry) {
        long now = loop.ticker().nanoTime();
        this.deadlineNanos = now + timeoutNanos;
        this.onExpiry = onExpiry;
        if (scheduled != null && scheduledForNanos - deadlineNanos <= 0) {
            return; // the pending task fires first and reschedules itself for the rest
        }
        if (scheduled != null) {
            scheduled.cancel(false); // only when a deadline moves earlier than the pending task
        }
        schedule(now, deadlineNanos);
    }

    /** No deadline until the next {@link #arm}; the pending task, if any, will find nothing to do. */
    void disarm() {
        deadlineNanos = DISARMED;
        onExpiry = null;
    }

    /** The connection closed: nothing may fire any more. */
    void close() {
        disarm();
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
        }
    }

    boolean armed() {
        return deadlineNanos != DISARMED;
    }

    private void schedule(long now, long at) {
        scheduledForNanos = at;
        scheduled = loop.schedule(fire, Math.max(0, at - now), TimeUnit.NANOSECONDS);
    }

    private void fire() {
        scheduled = null;
        if (deadlineNanos == DISARMED) {
            return;
        }
        long now = loop.ticker().nanoTime();
        if (now - deadlineNanos < 0) {
            schedule(now, deadlineNanos);
            return;
        }
        Runnable action = onExpiry;
        disarm();
        action.run();
    }
}
