package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.TestDefinitions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UniqueCountsConfigTest {
    private static final Path GOOD = Path.of("src/test/resources/config/good-unique-counts.yml");

    @Test
    void goodFile_readsEveryKey_andDefaultsTheRest() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(GOOD);

        UniqueCountDefinition weblogs =
                config.uniqueCounts().definition("weblogs_uv").orElseThrow();
        assertThat(weblogs)
                .isEqualTo(TestDefinitions.definition(
                                "weblogs_uv",
                                "weblogs-*",
                                "@timestamp",
                                "user_id",
                                List.of("country", "device"),
                                Duration.ofHours(1),
                                List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul")),
                                14,
                                Duration.ofMinutes(15),
                                UniqueCountsConfig.DEFAULT_MAX_EXACT_VALUES)
                        .withRealtime(weblogs.realtime())
                        .withKibanaRewrite(KibanaRewriteMode.SHADOW)
                        .withKibanaEdges(EdgeReads.EXACT));
        UniqueCountDefinition orders =
                config.uniqueCounts().definition("orders-by-customer").orElseThrow();
        assertThat(orders)
                .isEqualTo(TestDefinitions.definition(
                        "orders-by-customer",
                        "orders",
                        "@timestamp",
                        "customer_id",
                        List.of(),
                        Duration.ofHours(1),
                        List.of(ZoneId.of("UTC")),
                        14,
                        Duration.ofMinutes(15),
                        UniqueCountsConfig.DEFAULT_MAX_EXACT_VALUES));
        assertThat(orders.kibanaRewrite()).isEqualTo(KibanaRewriteMode.OFF);
        assertThat(orders.kibanaEdges()).isEqualTo(EdgeReads.FINE);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "granularity {0}: fine tier {1}")
    @org.junit.jupiter.params.provider.CsvSource({"1h, 5m", "15m, 5m", "10m, 5m", "1d, 5m", "5m, none", "1m, none"})
    void fineTier_isFiveMinutes_whenItSplitsTheGranule(String granularity, String fine) {
        UniqueCountDefinition definition = io.sketchgate.testing.TestDefinitions.definition(
                "d",
                "s",
                "@timestamp",
                "u",
                List.of(),
                Durations.parse(granularity),
                List.of(ZoneId.of("UTC")),
                14,
                Duration.ofMinutes(15),
                1);

        assertThat(definition.fineTier().map(Durations::format).orElse("none")).isEqualTo(fine);
    }

    @org.junit.jupiter.api.Test
    void kibanaEdges_doesNotChangeTheStoredNumbers_soNotTheVersion() throws Exception {
        UniqueCountDefinition base = new ConfigLoader(Map.of())
                .load(GOOD)
                .uniqueCounts()
                .definition("orders-by-customer")
                .orElseThrow();

        assertThat(base.withKibanaEdges(EdgeReads.EXACT).version()).isEqualTo(base.version());
    }

    @Test
    void realtimeSection_readsEveryKey_andDefaultsFollowGranularityAndLateness() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(GOOD);

        assertThat(config.uniqueCounts().definition("clicks").orElseThrow().realtime())
                .isEqualTo(new RealtimeSettings(
                        true,
                        Duration.ofSeconds(2),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(1),
                        12,
                        5000,
                        false,
                        Duration.ofMinutes(5)));
        // 15m lateness of 1h granules: one granule within the lateness, the current one, the newest closed one, +1
        assertThat(config.uniqueCounts().definition("weblogs_uv").orElseThrow().realtime())
                .isEqualTo(new RealtimeSettings(
                        true,
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(15),
                        Duration.ofSeconds(30),
                        4,
                        10_000,
                        true,
                        Duration.ofMinutes(1)));
    }

    @Test
    void printedConfig_loadsBackToTheSameDefinitions(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(GOOD);
        Path printed = dir.resolve("printed.yml");
        Files.writeString(printed, ConfigPrinter.toYaml(config));

        assertThat(new ConfigLoader(Map.of()).load(printed).uniqueCounts()).isEqualTo(config.uniqueCounts());
    }

    @Test
    void version_changesWithWhatAffectsTheNumbers_notWithNameOrLateness() throws Exception {
        UniqueCountDefinition base = new ConfigLoader(Map.of())
                .load(GOOD)
                .uniqueCounts()
                .definitions()
                .get(0);
        UniqueCountDefinition renamed = TestDefinitions.definition(
                "other",
                base.source(),
                base.timeField(),
                base.uniqueField(),
                base.dimensions(),
                base.granularity(),
                base.timeZones(),
                base.precision(),
                Duration.ofHours(2),
                base.maxExactValues());
        UniqueCountDefinition coarser = TestDefinitions.definition(
                base.name(),
                base.source(),
                base.timeField(),
                base.uniqueField(),
                base.dimensions(),
                base.granularity(),
                base.timeZones(),
                12,
                base.lateness(),
                base.maxExactValues());

        assertThat(renamed.version()).isEqualTo(base.version());
        assertThat(base.withKibanaRewrite(KibanaRewriteMode.ON).version()).isEqualTo(base.version());
        assertThat(coarser.version()).isNotEqualTo(base.version());
    }

    @Test
    void fileWithoutUniqueCounts_hasNone() throws Exception {
        SketchgateConfig config =
                new ConfigLoader(Map.of()).load(Path.of("src/test/resources/config/good-minimal.yml"));

        assertThat(config.uniqueCounts()).isEqualTo(UniqueCountsConfig.NONE);
        assertThat(ConfigPrinter.toYaml(config)).doesNotContain("unique_counts");
    }
}
