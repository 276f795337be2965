package io.sketchgate.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts exchanges in progress, so a graceful shutdown knows when the last one has finished. */
public final class InFlightRequests {
    private final AtomicInteger count = new AtomicInteger();

    void started() {
        count.incrementAndGet();
    }

    void finished() {
        count.decrementAndGet();
    }

    public int count() {
        return count.get();
    }
}
