package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class HelpedWorkTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "helper"));

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void resultsComeInTheOrderOfTheParts() throws Exception {
        List<Callable<Integer>> parts = List.of(() -> 1, () -> 2, () -> 3);

        assertThat(HelpedWork.run(parts, pool)).containsExactly(1, 2, 3);
    }

    @Test
    void anIdlePoolThreadRunsAnOfferedPart_whileTheCallerRunsTheFirst() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        Callable<String> part = () -> {
            bothRunning.countDown();
            // each part waits for the other to be running: only two threads at once get past this
            assertThat(bothRunning.await(10, TimeUnit.SECONDS)).isTrue();
            return Thread.currentThread().getName();
        };

        List<String> threads = HelpedWork.run(List.of(part, part), pool);

        assertThat(threads).containsExactly(Thread.currentThread().getName(), "helper");
    }

    @Test
    @Timeout(10)
    void aBusyPool_leavesEveryPartToTheCaller() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Callable<String> part = () -> Thread.currentThread().getName();

        List<String> threads = HelpedWork.run(List.of(part, part, part), pool);

        assertThat(threads).containsOnly(Thread.currentThread().getName());
        release.countDown();
    }

    @Test
    void aPoolThatRefuses_leavesEveryPartToTheCaller() throws Exception {
        pool.shutdown();

        assertThat(HelpedWork.run(List.of(() -> "a", () -> "b"), pool)).containsExactly("a", "b");
        assertThat(HelpedWork.run(List.of(() -> "a"), task -> {
                    throw new RejectedExecutionException("full");
                }))
                .containsExactly("a");
    }

    @Test
    void anOfferedPartsFailure_isThrownAsItWas() {
        Callable<String> failing = () -> {
            throw new IOException("read failed");
        };

        assertThatThrownBy(() -> HelpedWork.run(List.of(() -> "a", failing), pool))
                .isInstanceOf(IOException.class)
                .hasMessage("read failed");
        assertThatThrownBy(() -> HelpedWork.run(
                        List.of(() -> "a", () -> {
                            throw new IllegalStateException("bad state");
                        }),
                        pool))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("bad state");
    }

    @Test
    @Timeout(10)
    void whenTheFirstPartFails_theOfferedPartsNotStartedAreCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        pool.execute(
                () -> { // the pool's only thread busy: the offered part waits in its queue
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        AtomicBoolean offeredRan = new AtomicBoolean();

        assertThatThrownBy(() -> HelpedWork.run(
                        List.of(
                                () -> {
                                    throw new IOException("first failed");
                                },
                                () -> offeredRan.getAndSet(true)),
                        pool))
                .hasMessage("first failed");
        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(offeredRan).isFalse();
    }
}
