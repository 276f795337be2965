package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {
    // lines as JDK 17's -Xlog:gc:file=...:utctime wrote them (parallel, serial, G1, ZGC)
    private static final List<String> LOG = List.of(
            "[2026-12-07T18:25:38.283+0000] Using Parallel",
            "[2026-12-07T18:25:38.283+0000] GC(0) Pause Young (Allocation Failure) 24M->2M(252M) 5.641ms",
            "[2026-12-07T18:25:38.533+0000] GC(59) Pause Full (System.gc()) 2M->2M(255M) 11.915ms",
            "[2026-12-07T18:25:40.297+0000] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 32M->3M(256M) 11.011ms",
            "[2026-12-07T18:25:40.400+0000] GC(3) Pause Remark 40M->40M(256M) 1.250ms",
            "[2026-12-07T18:25:44.073+0000] GC(0) Garbage Collection (Warmup) 56M(22%)->64M(25%)");

    @Test
    void eachCollectorsPauseLines_areRead_withTheirEndAndLength() {
        List<GcPauses.Pause> pauses = GcPauses.parse(LOG).all();

        assertThat(pauses)
                .extracting(GcPauses.Pause::kind)
                .containsExactly("Pause Young", "Pause Full", "Pause Young", "Pause Remark");
        GcPauses.Pause first = pauses.get(0);
        assertThat(first.end()).isEqualTo(Instant.parse("2026-12-07T18:25:38.283Z"));
        assertThat(first.length()).isEqualTo(Duration.ofNanos(5_641_000));
        assertThat(first.start()).isEqualTo(Instant.parse("2026-12-07T18:25:38.277359Z"));
    }

    @Test
    void anAnswer_isBehindAPause_onlyWhenTheirTimesOverlap() {
        GcPauses pauses = GcPauses.parse(LOG); // the young pause ran 18:25:38.277359 to .283

        assertThat(pauses.longestDuring(at("18:25:38.270"), at("18:25:38.278")))
                .map(GcPauses.Pause::describe)
                .hasValue("5.6 ms Pause Young");
        assertThat(pauses.longestDuring(at("18:25:38.282"), at("18:25:38.290"))).isPresent();
        assertThat(pauses.longestDuring(at("18:25:38.250"), at("18:25:38.277"))).isEmpty(); // ended before it
        assertThat(pauses.longestDuring(at("18:25:38.284"), at("18:25:38.300"))).isEmpty(); // sent after it
        assertThat(pauses.longestDuring(at("18:25:38.200"), at("18:25:38.600")))
                .map(GcPauses.Pause::kind)
                .hasValue("Pause Full"); // the longer of the two it spans
    }

    @Test
    void answers_countThoseBehindAPause_andTheSlowestBehindNone() {
        GcPauses pauses = GcPauses.parse(LOG); // the young pause ran 18:25:38.277359 to .283
        Instant[] sentAt = {at("18:25:38.270"), at("18:25:38.284"), at("18:25:38.250")};
        long[] nanos = {20_000_000, 3_000_000, 9_000_000}; // ends inside it; sent after it; ended before it

        GcPauses.Answers answers = pauses.answers(sentAt, nanos);

        assertThat(answers.behindPause()).isEqualTo(1);
        assertThat(answers.slowestBehindNoneNanos()).isEqualTo(9_000_000);
        assertThat(pauses.behind(sentAt[0], nanos[0])).map(GcPauses.Pause::kind).hasValue("Pause Young");
    }

    @Test
    void theSummary_countsEachKind_withItsMedianAndLongest() {
        List<String> lines = new ArrayList<>(LOG);
        lines.add("[2026-12-07T18:25:41.000+0000] GC(7) Pause Young (Allocation Failure) 24M->2M(252M) 21.200ms");
        lines.add("[2026-12-07T18:25:42.000+0000] GC(8) Pause Young (Allocation Failure) 24M->2M(252M) 9.000ms");

        assertThat(GcPauses.parse(lines)
                        .between(at("18:25:38.000"), at("18:25:45.000"))
                        .summary())
                .isEqualTo("4 Pause Young (p50 9.0 ms, max 21.2 ms), 1 Pause Full (p50 11.9 ms, max 11.9 ms),"
                        + " 1 Pause Remark (p50 1.3 ms, max 1.3 ms)");
        assertThat(GcPauses.parse(lines)
                        .between(at("18:25:41.500"), at("18:25:41.900"))
                        .summary())
                .isEqualTo("none logged");
    }

    @Test
    void theOptionTheProxyIsStartedWith_logsPausesThatAreRead(@TempDir Path dir)
            throws IOException, InterruptedException {
        Path log = dir.resolve("gc.log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(
                        java.toString(),
                        ProxyProcess.gcLogOption(log),
                        "-XX:+UseParallelGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CollectsOnce.class.getName())
                .inheritIO()
                .start();
        assertThat(jvm.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(GcPauses.parse(Files.readAllLines(log)).all())
                .extracting(GcPauses.Pause::kind)
                .contains("Pause Full");
    }

    /** A JVM that makes one full collection, as {@code jcmd GC.run} has the benchmarked proxy make. */
    public static final class CollectsOnce {
        public static void main(String[] args) {
            System.gc();
        }
    }

    private static Instant at(String utcTime) {
        return Instant.parse("2026-12-07T" + utcTime + "Z");
    }
}
