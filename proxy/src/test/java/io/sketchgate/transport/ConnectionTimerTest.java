package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionTimerTest {
    private final CountingExecutor loop = new CountingExecutor();

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void rearmingForEveryRequest_schedulesOneTask_notOnePerRequest() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        onLoop(() -> {
            ConnectionTimer timer = new ConnectionTimer(loop);
            for (int i = 0; i < 1_000; i++) { // a keep-alive connection's requests: armed, answered, disarmed
                timer.arm(TimeUnit.SECONDS.toNanos(30), expired::incrementAndGet);
                timer.disarm();
            }
        });
        assertThat(loop.scheduled.get()).isEqualTo(1);
        assertThat(expired.get()).isZero();
    }

    @Test
    void aDeadlineMovedLater_expiresAtTheNewDeadline_neverEarly() throws Exception {
        AtomicLong firedAt = new AtomicLong();
        CountDownLatch fired = new CountDownLatch(1);
        long[] armedAt = new long[1];
        onLoop(() -> {
            ConnectionTimer timer = new ConnectionTimer(loop);
            timer.arm(TimeUnit.MILLISECONDS.toNanos(100), () -> {
                throw new AssertionError("the first deadline was replaced");
            });
            armedAt[0] = System.nanoTime();
            timer.arm(TimeUnit.MILLISECONDS.toNanos(400), () -> {
                firedAt.set(System.nanoTime());
                fired.countDown();
            });
        });
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAt.get() - armedAt[0]).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(399));
        assertThat(loop.scheduled.get()).isEqualTo(2); // the first task, then once more for the rest
    }

    @Test
    void aDeadlineMovedEarlier_expiresAtTheEarlierOne() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        long[] armedAt = new long[1];
        AtomicLong firedAt = new AtomicLong();
        onLoop(() -> {
            ConnectionTimer timer = new ConnectionTimer(loop);
            timer.arm(TimeUnit.SECONDS.toNanos(30), () -> {});
            armedAt[0] = System.nanoTime();
            timer.arm(TimeUnit.MILLISECONDS.toNanos(50), () -> {
                firedAt.set(System.nanoTime());
                fired.countDown();
            });
        });
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(firedAt.get() - armedAt[0]).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aDisarmedOrClosedTimer_neverFires() throws Exception {
        AtomicInteger expired = new AtomicInteger();
        onLoop(() -> {
            ConnectionTimer disarmed = new ConnectionTimer(loop);
            disarmed.arm(TimeUnit.MILLISECONDS.toNanos(20), expired::incrementAndGet);
            disarmed.disarm();
            ConnectionTimer closed = new ConnectionTimer(loop);
            closed.arm(TimeUnit.MILLISECONDS.toNanos(20), expired::incrementAndGet);
            closed.close();
        });
        Thread.sleep(200);
        assertThat(expired.get()).isZero();
    }

    private void onLoop(Runnable task) throws Exception {
        loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    /** An event loop that counts the tasks scheduled on it. */
    private static final class CountingExecutor extends SingleThreadEventExecutor {
        final AtomicInteger scheduled = new AtomicInteger();

        CountingExecutor() {
            super(null, new DefaultThreadFactory("timer-test"), true);
        }

        @Override
        protected void run() {
            while (true) {
                Runnable task = takeTask();
                if (task != null) {
                    runTask(task);
                    updateLastExecutionTime();
                }
                if (confirmShutdown()) {
                    return;
                }
            }
        }

        @Override
        public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
            scheduled.incrementAndGet();
            return super.schedule(command, delay, unit);
        }
    }
}
