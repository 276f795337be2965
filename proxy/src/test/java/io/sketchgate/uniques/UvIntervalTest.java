package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UvIntervalTest {
    private static final UniqueCountDefinition DEFINITION = TestDefinitions.definition(
            "d",
            "logs-*",
            "@timestamp",
            "user",
            List.of(),
            Duration.ofHours(1),
            List.of(ZoneId.of("UTC")),
            14,
            Duration.ofMinutes(15),
            1000);

    @Test
    void days_inAZone_areKeyedByTheirLocalMidnight_andClippedToTheRange() {
        List<UvInterval.Bucket> buckets = buckets("1d", "2026-09-01T10:37:00Z", "2026-09-03T00:00:00Z", "Asia/Seoul");

        assertThat(buckets)
                .containsExactly(
                        bucket("2026-08-31T15:00:00Z", "2026-09-01T10:37:00Z", "2026-09-01T15:00:00Z"),
                        bucket("2026-09-01T15:00:00Z", "2026-09-01T15:00:00Z", "2026-09-02T15:00:00Z"),
                        bucket("2026-09-02T15:00:00Z", "2026-09-02T15:00:00Z", "2026-09-03T00:00:00Z"));
    }

    @Test
    void fixedHours_restartAtLocalMidnight_soADstDayHasAShortLastBucket() {
        // Europe/Berlin springs forward on 2026-03-29: the local day has 23 hours
        List<UvInterval.Bucket> buckets =
                buckets("6h", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z", "Europe/Berlin");

        assertThat(buckets)
                .extracting(b ->
                        Duration.between(b.slice().start(), b.slice().end()).toHours())
                .containsExactly(6L, 6L, 6L, 5L);
    }

    @Test
    void weeksAndMonths_followTheCalendar() {
        assertThat(buckets("1w", "2026-09-01T00:00:00Z", "2026-09-15T00:00:00Z", "UTC"))
                .extracting(UvInterval.Bucket::key)
                .containsExactly(
                        Instant.parse("2026-08-31T00:00:00Z"),
                        Instant.parse("2026-09-07T00:00:00Z"),
                        Instant.parse("2026-09-14T00:00:00Z"));
        assertThat(buckets("1M", "2026-01-15T00:00:00Z", "2026-03-02T00:00:00Z", "UTC"))
                .hasSize(3);
    }

    @Test
    void all_isOneBucketOverTheRange() {
        assertThat(buckets("all", "2026-09-01T10:37:00Z", "2026-09-08T10:37:00Z", "UTC"))
                .containsExactly(bucket("2026-09-01T10:37:00Z", "2026-09-01T10:37:00Z", "2026-09-08T10:37:00Z"));
    }

    @Test
    void tooManyBuckets_isAProblemNamingTheFix() {
        List<String> problems = new ArrayList<>();
        UvInterval.parse("1h", DEFINITION, problems)
                .buckets(
                        Instant.parse("2020-01-01T00:00:00Z"),
                        Instant.parse("2026-01-01T00:00:00Z"),
                        ZoneId.of("UTC"),
                        100,
                        problems);

        assertThat(problems)
                .containsExactly("interval 1h makes more than 100 buckets of 2020-01-01T00:00:00Z .."
                        + " 2026-01-01T00:00:00Z; pick a coarser interval or a shorter range");
    }

    private static List<UvInterval.Bucket> buckets(String interval, String from, String to, String zone) {
        List<String> problems = new ArrayList<>();
        List<UvInterval.Bucket> buckets = UvInterval.parse(interval, DEFINITION, problems)
                .buckets(Instant.parse(from), Instant.parse(to), ZoneId.of(zone), 1000, problems);
        assertThat(problems).isEmpty();
        return buckets;
    }

    private static UvInterval.Bucket bucket(String key, String start, String end) {
        return new UvInterval.Bucket(
                Instant.parse(key), new UvQuestion.TimeSlice(Instant.parse(start), Instant.parse(end)));
    }
}
