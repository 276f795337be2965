package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.Limits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RolesConfigTest {
    private static final Path FILE = Path.of("src/test/resources/config/good-roles.yml");

    @TempDir
    Path temp;

    @Test
    void rolesFile_setsEveryLimitKey() throws ConfigException {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(FILE);

        assertThat(config.roles().roles()).containsOnlyKeys("analyst", "viewer", "ops.team_1");
        assertThat(config.roles().role("analyst"))
                .contains(new RoleConfig(
                        "analyst",
                        List.of(IndexPattern.of("weblogs-*"), IndexPattern.of("orders")),
                        Limits.everyKey(OnExceed.REJECT)));
        assertThat(config.roles().role("ops.team_1").orElseThrow().limits())
                .isEqualTo(new LimitSettings(
                        Optional.of(Duration.ofDays(7)),
                        Optional.of(OnExceed.CLAMP),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(4),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty()));
    }

    @Test
    void roleWithoutIndicesOrLimits_governsEveryIndexWithNoLimits() throws ConfigException {
        RoleConfig viewer =
                new ConfigLoader(Map.of()).load(FILE).roles().role("viewer").orElseThrow();

        assertThat(viewer.indices()).containsExactly(IndexPattern.of("*"));
        assertThat(viewer.limits()).isEqualTo(LimitSettings.NONE);
    }

    @Test
    void indexTimeFields_keepFileOrder() throws ConfigException {
        IndexTimeFieldsConfig fields = new ConfigLoader(Map.of()).load(FILE).indexTimeFields();

        assertThat(fields.fields())
                .containsExactly(
                        Map.entry(IndexPattern.of("weblogs-*"), "@timestamp"),
                        Map.entry(IndexPattern.of("weblogs-old-*"), "ts"),
                        Map.entry(IndexPattern.of("orders"), "created_at"));
    }

    @Test
    void fileWithoutRoles_hasNone() throws Exception {
        SketchgateConfig config = load("elasticsearch: { hosts: [\"http://127.0.0.1:9200\"] }\n");

        assertThat(config.roles()).isEqualTo(RolesConfig.NONE);
        assertThat(config.indexTimeFields()).isEqualTo(IndexTimeFieldsConfig.NONE);
    }

    @Test
    void printedRoles_loadBackToTheSameConfig() throws Exception {
        SketchgateConfig config = new ConfigLoader(Map.of()).load(FILE);

        SketchgateConfig reloaded = load(ConfigPrinter.toYaml(config));

        assertThat(reloaded.roles()).isEqualTo(config.roles());
        assertThat(reloaded.indexTimeFields()).isEqualTo(config.indexTimeFields());
    }

    @Test
    void limitSettingsForOverrides_allowQueueWithoutConcurrency() throws Exception {
        // Users' overrides (read by the users section) complete a role's settings: no rules across keys.
        Path file = temp.resolve("overrides.yml");
        Files.writeString(file, "max_queue: 5\nmax_queue_time: 2s\non_exceed: clamp\n");
        LoadContext context = new LoadContext(file, Map.of());
        org.yaml.snakeyaml.nodes.MappingNode node = (org.yaml.snakeyaml.nodes.MappingNode)
                new org.yaml.snakeyaml.Yaml().compose(new java.io.StringReader(Files.readString(file)));

        LimitSettings settings = LimitSettings.read(ConfigSection.of(context, node, "users.alice.overrides", 1), true);
        context.finish();

        assertThat(settings.maxQueue()).contains(5);
        assertThat(settings.maxQueueTime()).contains(Duration.ofSeconds(2));
        assertThat(settings.onExceed()).contains(OnExceed.CLAMP);
    }

    @Test
    void exampleInLimitsDoc_loads() throws Exception {
        String doc = Files.readString(Path.of("../docs/limits.md"));
        int start = doc.indexOf("```yaml\n") + "```yaml\n".length();
        String example = doc.substring(start, doc.indexOf("```", start));

        SketchgateConfig config = load("elasticsearch: { hosts: [\"http://127.0.0.1:9200\"] }\n" + example);

        assertThat(config.roles().roles()).containsOnlyKeys("analyst", "ops", "viewer");
        assertThat(config.indexTimeFields().fields()).hasSize(2);
    }

    @ParameterizedTest(name = "{0} vs {1}: overlaps={2}")
    @CsvSource({
        "weblogs-*, weblogs-2026.01, true",
        "weblogs-*, weblogs-*, true",
        "weblogs-*, *, true",
        "weblogs-*, web*, true",
        "weblogs-*, *-2026, true",
        "weblogs-*, orders, false",
        "weblogs-*, weblogs, false",
        "weblogs-*, logs-*, false",
        "*logs-*, metrics-*, true",
        "*logs-*, metrics-2026, false",
        "*logs-*, *-2026.01, true",
        "a*b*c, *bc*, true",
        "a*b, *c, false",
        "orders, orders, true",
        "orders, order, false",
        "orders, orders*, true",
        "*, '', true",
        "weblogs-2026.*, weblogs-*, true",
        "weblogs-2026.*, weblogs-2025.*, false",
    })
    void indexPatterns_overlapWhenSomeNameMatchesBoth(String a, String b, boolean overlaps) {
        assertThat(IndexPattern.of(a).overlaps(IndexPattern.of(b))).isEqualTo(overlaps);
        assertThat(IndexPattern.of(b).overlaps(IndexPattern.of(a))).isEqualTo(overlaps);
    }

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
        "weblogs-*, weblogs-2026.*, true",
        "weblogs-*, weblogs-*, true",
        "*, weblogs-*, true",
        "weblogs-*, web*, false",
        "weblogs-2026.*, weblogs-*, false",
        "orders, orders, true",
        "orders*, orders, true",
        "orders, orders*, false",
    })
    void indexPatterns_coverWhenEveryNameOfTheOtherMatches(String a, String b, boolean covers) {
        assertThat(IndexPattern.of(a).covers(IndexPattern.of(b))).isEqualTo(covers);
    }

    private SketchgateConfig load(String yaml) throws IOException, ConfigException {
        Path file = temp.resolve("sketchgate.yml");
        Files.writeString(file, yaml);
        return new ConfigLoader(Map.of()).load(file);
    }
}
