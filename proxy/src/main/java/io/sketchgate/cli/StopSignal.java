package io.sketchgate.cli;

import java.util.concurrent.CountDownLatch;

/** When {@code run} stops: on SIGTERM/SIGINT in production, when a test says so in tests. */
@FunctionalInterface
interface StopSignal {

    /** Blocks until a stop is requested, and returns only after {@code stop} has run. */
    void runUntilStopped(Runnable stop) throws InterruptedException;

    /**
     * Stops on JVM shutdown (SIGTERM, SIGINT). {@code stop} runs inside the shutdown hook, because the JVM
     * halts once hooks finish: a graceful close anywhere else could be cut short.
     */
    static StopSignal jvmShutdown() {
        return stop -> {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    stop.run();
                } finally {
                    stopped.countDown();
                }
            }, "sketchgate-shutdown"));
            stopped.await();
        };
    }
}
