package io.sketchgate.uniques;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Two halves of one computation at once: the first on the calling thread, the second on a helper thread if one
 * takes it up before the caller has finished the first, else on the caller after it. So a question never waits for
 * a busy helper longer than the second half would have taken it alone: under load, when every helper is taken, the
 * halves run one after the other as they did before. The halves must share nothing mutable.
 */
final class HelpedWork {
    /** One helper per core beyond the caller's; none on one core, where halving gains nothing. */
    private static final int HELPERS = Runtime.getRuntime().availableProcessors() - 1;

    private static final Executor SHARED = HELPERS < 1
            ? null
            : Executors.newFixedThreadPool(HELPERS, runnable -> {
                Thread thread = new Thread(runnable, "sketchgate-uv-merge");
                thread.setDaemon(true);
                return thread;
            });

    private final Executor helpers;

    HelpedWork(Executor helpers) {
        this.helpers = helpers;
    }

    /** The shared helpers, or empty on a single core. */
    static java.util.Optional<HelpedWork> shared() {
        return java.util.Optional.ofNullable(SHARED).map(HelpedWork::new);
    }

    /** Both results, in order; a half's exception is thrown here, after the caller's half is done. */
    <T> List<T> both(Supplier<T> first, Supplier<T> second) {
        AtomicBoolean taken = new AtomicBoolean();
        CompletableFuture<T> helped = new CompletableFuture<>();
        helpers.execute(() -> {
            if (taken.compareAndSet(false, true)) {
                try {
                    helped.complete(second.get());
                } catch (Throwable e) {
                    helped.completeExceptionally(e);
                }
            }
        });
        T mine = first.get();
        if (taken.compareAndSet(false, true)) {
            return List.of(mine, second.get()); // no helper came for it: this thread does it
        }
        try {
            return List.of(mine, helped.join());
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }
}
