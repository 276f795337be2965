package io.sketchgate.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;

/** When {@code run} stops: on SIGTERM/SIGINT in production, when a test says so in tests. */
@FunctionalInterface
interface StopSignal {

    /** Blocks until a stop is requested, and returns only after {@code stop} has run. */
    void runUntilStopped(Runnable stop) throws InterruptedException;

    /**
     * Stops on SIGTERM or SIGINT, then returns so that {@code run} exits 0.
     *
     * <p>The signals are caught rather than left to the JVM, because a JVM shut down by a signal exits
     * 143 or 130 whatever its hooks do, and service managers read that as a failure. A shutdown hook
     * still closes the server gracefully when the JVM goes down another way (SIGHUP, System.exit).
     */
    static StopSignal processSignals() {
        return stop -> {
            AtomicBoolean stopped = new AtomicBoolean();
            Runnable stopOnce = () -> {
                if (stopped.compareAndSet(false, true)) {
                    stop.run();
                }
            };
            Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "sketchgate-shutdown"));
            CountDownLatch requested = new CountDownLatch(1);
            for (String name : new String[] {"TERM", "INT"}) {
                Signal.handle(new Signal(name), signal -> requested.countDown());
            }
            requested.await();
            stopOnce.run();
        };
    }
}
