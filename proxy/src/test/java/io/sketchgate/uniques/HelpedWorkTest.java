package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HelpedWorkTest {
    private final ExecutorService helper = Executors.newSingleThreadExecutor(r -> new Thread(r, "helper"));

    @AfterEach
    void stop() {
        helper.shutdownNow();
    }

    @Test
    void aFreeHelper_takesTheSecondHalf_whileTheCallerDoesTheFirst() throws Exception {
        CountDownLatch secondStarted = new CountDownLatch(1);
        List<String> threads = new HelpedWork(helper)
                .both(
                        () -> {
                            await(secondStarted); // both halves run at once, or this never returns
                            return Thread.currentThread().getName();
                        },
                        () -> {
                            secondStarted.countDown();
                            return Thread.currentThread().getName();
                        });

        assertThat(threads).containsExactly(Thread.currentThread().getName(), "helper");
    }

    @Test
    void aBusyHelper_leavesTheSecondHalfToTheCaller_whichDoesNotWaitForIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        helper.execute(() -> await(release)); // the only helper is taken

        List<String> threads = new HelpedWork(helper)
                .both(
                        () -> Thread.currentThread().getName(),
                        () -> Thread.currentThread().getName());

        String caller = Thread.currentThread().getName();
        assertThat(threads).containsExactly(caller, caller);
        release.countDown();
        // the queued task finds the half taken and does nothing
        helper.shutdown();
        assertThat(helper.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aHalfsFailure_isThrownToTheCaller() {
        HelpedWork work = new HelpedWork(helper);

        assertThatThrownBy(() -> work.both(() -> "first", () -> {
                    throw new IllegalStateException("second half failed");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("second half failed");
        assertThatThrownBy(() -> work.both(
                        () -> {
                            throw new IllegalArgumentException("first half failed");
                        },
                        () -> "second"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
