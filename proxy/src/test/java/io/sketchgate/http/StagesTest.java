package io.sketchgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StagesTest {
    private static final IllegalStateException BROKEN = new IllegalStateException("broken");

    @Test
    void aCompletedStage_goesOnDirectly_withoutANewFuturePerStep() {
        CompletableFuture<String> next = CompletableFuture.completedFuture("verdict");

        CompletableFuture<String> composed = Stages.thenCompose(CompletableFuture.completedFuture(1), i -> next);

        assertThat(composed).isSameAs(next);
        assertThat(Stages.exceptionally(composed, e -> "refused")).isSameAs(next);
        assertThat(Stages.thenApply(composed, v -> v + "!")).isCompletedWithValue("verdict!");
    }

    @Test
    void anIncompleteStage_goesOnWhenItCompletes() {
        CompletableFuture<Integer> identity = new CompletableFuture<>();

        CompletableFuture<String> verdict = Stages.thenApply(
                Stages.thenCompose(identity, i -> CompletableFuture.completedFuture("user " + i)), v -> v + "!");

        assertThat(verdict).isNotDone();
        identity.complete(7);
        assertThat(verdict).isCompletedWithValue("user 7!");
    }

    @Test
    void aThrowingStep_failsTheResult_asTheChainWould() {
        CompletableFuture<Integer> done = CompletableFuture.completedFuture(1);

        CompletableFuture<String> composed = Stages.thenCompose(done, i -> {
            throw BROKEN;
        });
        CompletableFuture<String> applied = Stages.thenApply(done, i -> {
            throw BROKEN;
        });

        for (CompletableFuture<String> failed : java.util.List.of(composed, applied)) {
            assertThat(failed).isCompletedExceptionally();
            assertThat(Stages.exceptionally(
                                    failed,
                                    e -> e.getClass().getSimpleName() + ": "
                                            + e.getCause().getMessage())
                            .join())
                    .isEqualTo(CompletionException.class.getSimpleName() + ": broken");
        }
    }

    @Test
    void aFailedStage_skipsTheSteps_andIsRecovered() {
        CompletableFuture<Integer> failed = CompletableFuture.failedFuture(BROKEN);

        CompletableFuture<String> verdict =
                Stages.thenApply(Stages.thenCompose(failed, i -> CompletableFuture.completedFuture("never")), v -> v);

        assertThat(Stages.exceptionally(verdict, e -> "refused").join()).isEqualTo("refused");
    }
}
