package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteAheadTest {

    @Test
    void submitReturnsWhileTheWriteRuns_andTheNextSubmitWaitsForIt() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (WriteAhead writer = new WriteAhead("test")) {
            writer.submit(() -> {
                release.await(10, TimeUnit.SECONDS);
                log.add("first written");
            });
            log.add("caller reads on"); // the first write is still blocked: the caller was not held up
            Thread releaser = new Thread(() -> {
                sleep(200);
                log.add("release");
                release.countDown();
            });
            releaser.start();
            List<String> second = new CopyOnWriteArrayList<>();
            writer.submit(() -> second.add("second written"));
            log.add("second submitted");
            writer.drain();
            releaser.join();
            assertThat(second).containsExactly("second written");
        }
        assertThat(log).containsExactly("caller reads on", "release", "first written", "second submitted");
    }

    @Test
    void aFailedWrite_surfacesFromTheNextSubmit_andTheWriteAfterItNeverRuns() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (WriteAhead writer = new WriteAhead("test")) {
            writer.submit(() -> {
                throw new IOException("bulk failed");
            });
            assertThatThrownBy(() -> writer.submit(() -> log.add("checkpoint saved")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("bulk failed");
            writer.drain();
        }
        assertThat(log).isEmpty();
    }

    @Test
    void closeWaitsForTheWriteInFlight() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        WriteAhead writer = new WriteAhead("test");
        writer.submit(() -> {
            sleep(200);
            log.add("written");
        });
        writer.close();
        log.add("closed");
        assertThat(log).containsExactly("written", "closed");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
