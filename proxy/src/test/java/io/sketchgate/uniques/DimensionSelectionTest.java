package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A stored document's combination, and a combination's split map. */
class DimensionSelectionTest {
    private static final UniqueCountDefinition DEFINITION = TestDefinitions.definition(
            "d",
            "logs-*",
            "@timestamp",
            "user",
            List.of("country", "device", "os"),
            Duration.ofHours(1),
            List.of(ZoneId.of("UTC")),
            14,
            Duration.ofMinutes(15),
            1000);
    private static final List<String> STORED = List.of("KR", "mobile", "ios"); // in the definition's order

    @Test
    void aCombination_followsTheSplitsOrder_notTheDefinitions() {
        assertThat(new DimensionSelection(DEFINITION, List.of("os", "country"), Map.of()).combinationOfStored(STORED))
                .containsExactly("ios", "KR");
        assertThat(new DimensionSelection(DEFINITION, List.of("device"), Map.of()).combinationOfStored(STORED))
                .containsExactly("mobile");
        assertThat(new DimensionSelection(DEFINITION, List.of(), Map.of()).combinationOfStored(STORED))
                .isEmpty();
    }

    @Test
    void aSplitMap_namesEachSplitDimensionsValue_andIsMadeOncePerCombination() {
        DimensionSelection selection = new DimensionSelection(DEFINITION, List.of("os", "country"), Map.of());

        Map<String, String> first = selection.splitMap(List.of("ios", "KR"));

        assertThat(first).containsExactly(Map.entry("os", "ios"), Map.entry("country", "KR"));
        assertThat(selection.splitMap(List.of("ios", "KR"))).isSameAs(first);
        assertThat(selection.splitMap(List.of("android", "KR"))).containsEntry("os", "android");
    }
}
