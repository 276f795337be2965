package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.SketchHash;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The memory bounds of the tailer's sketches: complete granules or none. */
class OpenGranulesTest {
    private static final Instant FLOOR = Instant.parse("2025-05-05T08:00:00Z");
    private static final long HOUR = Duration.ofHours(1).toMillis();

    private static OpenGranules granules(int maxOpen, int maxSketches) {
        UniqueCountDefinition definition = TestDefinitions.definition(
                        "t",
                        "s",
                        "@timestamp",
                        "u",
                        List.of("country"),
                        Duration.ofHours(1),
                        List.of(ZoneId.of("UTC")),
                        14,
                        Duration.ofMinutes(15),
                        1000)
                .withRealtime(new RealtimeSettings(
                        true,
                        Duration.ofSeconds(1),
                        Duration.ZERO,
                        Duration.ofSeconds(1),
                        maxOpen,
                        maxSketches,
                        false,
                        Duration.ofMinutes(1)));
        return new OpenGranules(definition, FLOOR);
    }

    private static void add(OpenGranules granules, int hour, String country, String user) {
        granules.add(FLOOR.toEpochMilli() + hour * HOUR + 1, new String[] {country}, SketchHash.hash(user));
    }

    @Test
    void eachValue_goesToEverySubsetOfItsGranule_andEventsBeforeTheFloorAreIgnored() {
        OpenGranules granules = granules(4, 100);
        add(granules, 0, "KR", "a");
        add(granules, 0, "US", "a");
        add(granules, -1, "KR", "b");

        Map<Long, RealtimeSketches.Granule> snapshot = granules.snapshot(Map.of());
        assertThat(snapshot).containsOnlyKeys(FLOOR.toEpochMilli());
        Map<List<String>, io.sketchgate.hll.HllSketch> sketches =
                snapshot.get(FLOOR.toEpochMilli()).sketches();
        assertThat(sketches).containsOnlyKeys(List.of("KR"), List.of("US"), List.of(BucketKey.ALL));
        assertThat(sketches.get(List.of(BucketKey.ALL)).estimate()).isEqualTo(1);
        assertThat(granules.sketchCount()).isEqualTo(3);
    }

    @Test
    void tooManyOpenGranules_evictsTheOldest_whichIsNeitherReturnedNorFilledAgain() {
        OpenGranules granules = granules(2, 100);
        add(granules, 0, "KR", "a");
        add(granules, 1, "KR", "a");
        add(granules, 2, "KR", "a");
        add(granules, 0, "KR", "late");

        assertThat(granules.snapshot(Map.of()))
                .containsOnlyKeys(FLOOR.toEpochMilli() + HOUR, FLOOR.toEpochMilli() + 2 * HOUR);
        assertThat(granules.evicted()).containsExactly(FLOOR.toEpochMilli());
        assertThat(granules.sketchCount()).isEqualTo(4);
    }

    @Test
    void tooManySketches_evictsOldestGranulesFirst_thenTheCurrentOne() {
        OpenGranules granules = granules(10, 4);
        add(granules, 0, "KR", "a");
        add(granules, 1, "KR", "a");
        add(granules, 1, "US", "b"); // a fifth sketch: 08:00 (2 sketches) goes

        assertThat(granules.starts()).containsExactly(FLOOR.toEpochMilli() + HOUR);
        add(granules, 1, "JP", "c"); // 4: still fits
        add(granules, 1, "DE", "d"); // 5: 09:00 alone is too big, so it goes too rather than be returned incomplete
        assertThat(granules.starts()).isEmpty();
        assertThat(granules.sketchCount()).isZero();
        assertThat(granules.evicted()).containsExactlyInAnyOrder(FLOOR.toEpochMilli(), FLOOR.toEpochMilli() + HOUR);
        add(granules, 1, "KR", "e");
        assertThat(granules.starts()).isEmpty();
    }

    @Test
    void raisingTheFloor_dropsPrecomputedGranules_andForgetsEvictions() {
        OpenGranules granules = granules(2, 100);
        add(granules, 0, "KR", "a");
        add(granules, 1, "KR", "a");
        add(granules, 2, "KR", "a");
        granules.raiseFloor(FLOOR.plusMillis(2 * HOUR));

        assertThat(granules.starts()).containsExactly(FLOOR.toEpochMilli() + 2 * HOUR);
        assertThat(granules.evicted()).isEmpty();
        assertThat(granules.sketchCount()).isEqualTo(2);
    }
}
