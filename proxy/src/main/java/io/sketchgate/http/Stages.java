package io.sketchgate.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code thenCompose}, {@code thenApply} and {@code exceptionally} that go on directly from a stage already
 * completed. Most requests need no I/O to be decided (identity, aliases and quotas are answered from memory), and a
 * chain of stages then costs a new future per step for nothing. Failures come out as they would from the chain: a
 * failed future, the exception wrapped in a {@link CompletionException}.
 */
public final class Stages {
    private Stages() {}

    public static <T, R> CompletableFuture<R> thenCompose(
            CompletableFuture<T> stage, Function<? super T, ? extends CompletionStage<R>> next) {
        if (!succeeded(stage)) {
            return stage.thenCompose(next);
        }
        try {
            return next.apply(stage.join()).toCompletableFuture();
        } catch (Throwable e) { // as the chain would: nothing thrown escapes to the caller
            return CompletableFuture.failedFuture(wrapped(e));
        }
    }

    public static <T, R> CompletableFuture<R> thenApply(CompletableFuture<T> stage, Function<? super T, R> next) {
        if (!succeeded(stage)) {
            return stage.thenApply(next);
        }
        try {
            return CompletableFuture.completedFuture(next.apply(stage.join()));
        } catch (Throwable e) { // as the chain would: nothing thrown escapes to the caller
            return CompletableFuture.failedFuture(wrapped(e));
        }
    }

    /** {@code stage} itself when it succeeded: there is nothing to recover. */
    public static <T> CompletableFuture<T> exceptionally(
            CompletableFuture<T> stage, Function<Throwable, ? extends T> recover) {
        return succeeded(stage) ? stage : stage.exceptionally(recover);
    }

    private static boolean succeeded(CompletableFuture<?> stage) {
        return stage.isDone() && !stage.isCompletedExceptionally();
    }

    private static CompletionException wrapped(Throwable e) {
        return e instanceof CompletionException completion ? completion : new CompletionException(e);
    }
}
