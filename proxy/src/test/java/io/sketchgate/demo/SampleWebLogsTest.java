package io.sketchgate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleWebLogsTest {

    private static final Instant END = Instant.parse("2026-11-25T08:00:00Z");

    private static SampleWebLogs logs(long seed, long events) {
        return SampleWebLogs.builder()
                .seed(seed)
                .events(events)
                .days(30)
                .end(END)
                .build();
    }

    @Test
    void events_withTheSameParameters_areTheSameOnEveryReplay() {
        List<PageView> first = logs(7, 50_000).events().collect(Collectors.toList());
        List<PageView> second = logs(7, 50_000).events().collect(Collectors.toList());

        assertThat(second).isEqualTo(first);
    }

    @Test
    void events_withAnotherSeed_differ() {
        List<PageView> first = logs(7, 1_000).events().collect(Collectors.toList());
        List<PageView> second = logs(8, 1_000).events().collect(Collectors.toList());

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void events_areExactlyAsManyAsAsked_inOrder_withinTheSpan() {
        SampleWebLogs logs = logs(1, 123_457);
        long[] count = {0};
        Instant[] previous = {Instant.MIN};

        logs.events().forEach(view -> {
            assertThat(view.sequence()).isEqualTo(count[0]++);
            assertThat(view.timestamp())
                    .isAfterOrEqualTo(previous[0])
                    .isAfterOrEqualTo(logs.start())
                    .isBefore(END);
            previous[0] = view.timestamp();
        });

        assertThat(count[0]).isEqualTo(123_457);
        assertThat(logs.start()).isEqualTo(Instant.parse("2026-10-26T08:00:00Z"));
    }

    @Test
    void end_isAlignedToTheHour() {
        SampleWebLogs logs = SampleWebLogs.builder()
                .end(Instant.parse("2026-11-25T08:59:59.999Z"))
                .build();

        assertThat(logs.end()).isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
    }

    @Test
    void defaultSize_hasHeavyRepeatVisitors_andMostOfThePopulation() {
        SampleWebLogs logs = SampleWebLogs.builder().end(END).build();
        Map<String, Integer> viewsPerUser = new HashMap<>();
        Map<String, Set<String>> countriesPerUser = new HashMap<>();
        logs.events().forEach(view -> {
            viewsPerUser.merge(view.userId(), 1, Integer::sum);
            countriesPerUser
                    .computeIfAbsent(view.userId(), user -> new HashSet<>())
                    .add(view.country());
        });

        List<Integer> sorted =
                viewsPerUser.values().stream().sorted((a, b) -> b - a).collect(Collectors.toList());
        long topOnePercent =
                sorted.subList(0, 2_000).stream().mapToLong(Integer::longValue).sum();

        assertThat(logs.eventCount()).isEqualTo(1_000_000);
        assertThat(viewsPerUser).hasSizeBetween(120_000, 170_000);
        assertThat(topOnePercent).isBetween(350_000L, 550_000L);
        assertThat(sorted.get(0)).isBetween(1_000, 5_000);
        assertThat(countriesPerUser.values())
                .allSatisfy(countries -> assertThat(countries).hasSize(1));
    }

    @Test
    void traffic_peaksInTheAfternoon_andDipsAtNight() {
        SampleWebLogs logs = logs(3, 200_000);
        long[] byHourOfDay = new long[24];
        logs.events()
                .forEach(view -> byHourOfDay[
                        view.timestamp().atZone(java.time.ZoneOffset.UTC).getHour()]++);

        assertThat(byHourOfDay[15]).isGreaterThan(3 * byHourOfDay[3]);
    }

    @Test
    void indices_areMonthly_overTheWholeSpan() {
        SampleWebLogs logs =
                SampleWebLogs.builder().end(END).indexPrefix("weblogs").build();

        assertThat(logs.indices()).containsExactly("weblogs-2026.10", "weblogs-2026.11");
        assertThat(logs.indexFor(Instant.parse("2026-10-31T23:59:59Z"))).isEqualTo("weblogs-2026.10");
        assertThat(logs.indexPattern()).isEqualTo("weblogs-*");
    }

    @Test
    void eventsInHour_addUpToTheTotal() {
        SampleWebLogs logs = logs(5, 999_999);
        long sum = 0;
        for (int h = 0; h < 30 * 24; h++) {
            sum += logs.eventsInHour(h);
        }

        assertThat(sum).isEqualTo(999_999);
        assertThat(Duration.between(logs.start(), logs.end())).isEqualTo(Duration.ofDays(30));
    }
}
