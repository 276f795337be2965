package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sketchgate.demo.PageView;
import io.sketchgate.demo.SampleWebLogs;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UvBenchTruthTest {

    private static final SampleWebLogs LOGS = SampleWebLogs.builder()
            .events(20_000)
            .days(9)
            .users(5_000)
            .end(Instant.parse("2026-03-10T00:00:00Z"))
            .build();

    @Test
    void truth_ofUnalignedQuestion_equalsDistinctUsersOfEachClippedDay() {
        DailyUvQuestion question = UvBenchmarkRun.questions(LOGS, 60).get(1);

        Map<Instant, Long> truth = UvBenchTruth.of(LOGS, List.of(question)).get(0);

        // an independent count: a set of user id strings per clipped day
        Map<Instant, Set<String>> users = new LinkedHashMap<>();
        for (DailyUvQuestion.Bucket bucket : question.buckets()) {
            users.put(bucket.key(), new HashSet<>());
        }
        LOGS.events()
                .forEach((PageView view) -> question.buckets().stream()
                        .filter(b -> !view.timestamp().isBefore(b.from())
                                && view.timestamp().isBefore(b.to()))
                        .forEach(b -> users.get(b.key()).add(view.userId())));
        Map<Instant, Long> expected = new LinkedHashMap<>();
        users.forEach((key, set) -> expected.put(key, (long) set.size()));
        assertThat(truth).isEqualTo(expected);
        assertThat(truth)
                .hasSize(8)
                .allSatisfy((key, count) -> assertThat(count).isPositive());
    }

    @Test
    void buckets_ofUnalignedQuestion_clipFirstAndLastDayToTheRange() {
        DailyUvQuestion question =
                new DailyUvQuestion("q", Instant.parse("2026-03-01T10:37:00Z"), Instant.parse("2026-03-03T10:37:00Z"));

        assertThat(question.buckets())
                .containsExactly(
                        new DailyUvQuestion.Bucket(
                                Instant.parse("2026-03-01T00:00:00Z"),
                                Instant.parse("2026-03-01T10:37:00Z"),
                                Instant.parse("2026-03-02T00:00:00Z")),
                        new DailyUvQuestion.Bucket(
                                Instant.parse("2026-03-02T00:00:00Z"),
                                Instant.parse("2026-03-02T00:00:00Z"),
                                Instant.parse("2026-03-03T00:00:00Z")),
                        new DailyUvQuestion.Bucket(
                                Instant.parse("2026-03-03T00:00:00Z"),
                                Instant.parse("2026-03-03T00:00:00Z"),
                                Instant.parse("2026-03-03T10:37:00Z")));
    }

    @Test
    void errors_countAMissingBucketAsFullError() {
        Instant day1 = Instant.parse("2026-03-01T00:00:00Z");
        Instant day2 = Instant.parse("2026-03-02T00:00:00Z");

        AnswerErrors errors = AnswerErrors.of(Map.of(day1, 100L, day2, 200L), Map.of(day1, 101L));

        assertThat(errors.max()).isEqualTo(1.0);
        assertThat(errors.mean()).isCloseTo((0.01 + 1.0) / 2, within(1e-12));
    }

    @Test
    void latencies_areNearestRankPercentiles() {
        long[] nanos = new long[10];
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = (10 - i) * 1_000_000L;
        }
        Latencies latencies = new Latencies(nanos);

        assertThat(latencies.medianMillis()).isEqualTo(5.0);
        assertThat(latencies.p90Millis()).isEqualTo(9.0);
    }
}
