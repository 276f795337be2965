package io.sketchgate.uniques;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the precompute job's writes (a request's documents, then its checkpoint) on one background thread, so
 * the job reads and accumulates the next request's granules while Elasticsearch indexes the previous one's.
 *
 * <p>At most one write is in flight: {@link #submit} first waits for the previous one. That bounds memory to
 * the documents of two requests and keeps the order of writes, so a checkpoint is saved only after its own
 * documents and every earlier request's. A failed write surfaces, with its cause, from the next
 * {@link #submit} or {@link #drain}.
 */
final class WriteAhead implements AutoCloseable {

    /** One request's writes, run in order on the writer thread. */
    interface Write {
        void run() throws IOException, InterruptedException;
    }

    private final ExecutorService thread;
    private Future<?> inFlight;

    WriteAhead(String name) {
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "precompute-writer-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Waits for the previous write (rethrowing its failure), then starts {@code write}. */
    void submit(Write write) throws IOException, InterruptedException {
        drain();
        inFlight = thread.submit(() -> {
            write.run();
            return null;
        });
    }

    /** Waits until nothing is in flight; rethrows the failure of the write that was. */
    void drain() throws IOException, InterruptedException {
        if (inFlight == null) {
            return;
        }
        Future<?> waiting = inFlight;
        inFlight = null;
        try {
            waiting.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UncheckedIOException(new IOException(cause));
        }
    }

    /**
     * Waits for a write still in flight, ignoring its failure (the caller is already failing), so nothing is
     * written after the caller records the failure; then stops the thread.
     */
    @Override
    public void close() {
        try {
            drain();
        } catch (IOException | RuntimeException e) {
            // the job's own failure is reported; this one happened while it was failing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            thread.shutdownNow();
        }
    }
}
