package io.sketchgate.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time that moves only when a test says so: a monotonic nano clock, the matching wall clock, and a
 * {@link DelayScheduler} whose tasks run when {@link #advance} passes their due time.
 */
final class ManualTime implements DelayScheduler {
    private final Instant start;
    private long nanos = 1_000_000_000L; // not zero, as System.nanoTime is arbitrary
    private final long startNanos = nanos;
    private final List<Task> tasks = new ArrayList<>();

    private static final class Task {
        final long due;
        final Runnable action;
        boolean cancelled;

        Task(long due, Runnable action) {
            this.due = due;
            this.action = action;
        }
    }

    ManualTime(Instant start) {
        this.start = start;
    }

    synchronized long nanoTime() {
        return nanos;
    }

    InstantSource clock() {
        return () -> {
            synchronized (this) {
                return start.plusNanos(nanos - startNanos);
            }
        };
    }

    @Override
    public synchronized Scheduled schedule(Runnable task, Duration delay) {
        Task t = new Task(nanos + delay.toNanos(), task);
        tasks.add(t);
        return () -> {
            synchronized (this) {
                t.cancelled = true;
            }
        };
    }

    synchronized int pendingTasks() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }

    void advance(Duration by) {
        long target;
        synchronized (this) {
            target = nanos + by.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> !t.cancelled && t.due <= target)
                        .min(Comparator.comparingLong(t -> t.due))
                        .orElse(null);
                if (next == null) {
                    nanos = target;
                    return;
                }
                tasks.remove(next);
                nanos = Math.max(nanos, next.due);
            }
            next.action.run();
        }
    }
}
