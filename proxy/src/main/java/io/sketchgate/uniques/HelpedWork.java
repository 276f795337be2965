package io.sketchgate.uniques;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs the parts of one question's work on the calling thread, helped by a pool thread when one is idle: every part
 * but the first is offered to the pool, the caller runs the first, then each offered part that no pool thread has
 * started yet. A large question (a daily chart split by country over 50 days: some 5,000 unions and 800 estimates)
 * then takes about half as long on a core nobody else is using, and a busy pool (every thread on a question of its
 * own) costs it only the offers: the caller never waits for a part that has not started.
 */
final class HelpedWork {
    private HelpedWork() {}

    /**
     * Each part's result, in order.
     *
     * @throws IOException the first part's, in order, that threw one; the offered parts not started by then are
     *     cancelled when the first part throws
     */
    static <T> List<T> run(List<Callable<T>> parts, Executor pool) throws IOException {
        List<FutureTask<T>> offered = new ArrayList<>(parts.size());
        for (Callable<T> part : parts.subList(Math.min(1, parts.size()), parts.size())) {
            FutureTask<T> task = new FutureTask<>(part);
            offered.add(task);
            try {
                pool.execute(task);
            } catch (RejectedExecutionException shuttingDown) {
                // run below, by the caller
            }
        }
        List<T> results = new ArrayList<>(parts.size());
        if (!parts.isEmpty()) {
            try {
                results.add(call(parts.get(0)));
            } catch (IOException | RuntimeException | Error e) {
                offered.forEach(task -> task.cancel(false)); // nobody will read them
                throw e;
            }
        }
        for (FutureTask<T> task : offered) {
            task.run(); // nothing when a pool thread started it
            results.add(resultOf(task));
        }
        return results;
    }

    private static <T> T call(Callable<T> part) throws IOException {
        try {
            return part.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T resultOf(FutureTask<T> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true; // the part is running: its result is still wanted
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
