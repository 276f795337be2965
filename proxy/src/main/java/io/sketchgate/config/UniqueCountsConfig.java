package io.sketchgate.config;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code unique_counts:} section: the definitions of the precomputed unique-count indices, in file order.
 * Everything that can be checked without Elasticsearch is checked here; field types are checked against the
 * source's mapping when a job starts.
 */
public record UniqueCountsConfig(List<UniqueCountDefinition> definitions) {
    public static final UniqueCountsConfig NONE = new UniqueCountsConfig(List.of());

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern FIELD = Pattern.compile("[^\\s,*]+");
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);
    /** Zone offsets are checked over these years: the data a deployment holds, and then some. */
    private static final Instant OFFSETS_FROM = Instant.parse("1990-01-01T00:00:00Z");

    private static final Instant OFFSETS_TO = Instant.parse("2100-01-01T00:00:00Z");
    static final int DEFAULT_MAX_EXACT_VALUES = 5_000_000;

    public UniqueCountsConfig {
        definitions = List.copyOf(definitions);
    }

    public Optional<UniqueCountDefinition> definition(String name) {
        return definitions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    static UniqueCountsConfig read(ConfigSection root, String key) {
        List<UniqueCountDefinition> definitions = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigValue item : root.list(key)) {
            Optional<ConfigSection> section = item.section();
            if (section.isEmpty()) {
                continue;
            }
            readDefinition(section.get()).ifPresent(definition -> {
                if (!names.add(definition.name())) {
                    section.get().problem("name", "is used by an earlier definition; names must be unique");
                } else {
                    definitions.add(definition);
                }
            });
        }
        return new UniqueCountsConfig(definitions);
    }

    private static Optional<UniqueCountDefinition> readDefinition(ConfigSection section) {
        boolean ok = true;
        Optional<String> name = section.required("name").flatMap(ConfigValue::string);
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            section.problem(
                    "name",
                    "must be lower-case letters, digits, _ and - (at most 64, starting with a letter"
                            + " or digit), as it names the index sketchgate-uv-<name>");
            ok = false;
        }
        Optional<String> source = section.required("source").flatMap(ConfigValue::string);
        if (source.isPresent() && (source.get().isBlank() || source.get().contains(" "))) {
            section.problem(
                    "source", "must be an index pattern, alias or data stream like \"weblogs-*\", without spaces");
            ok = false;
        }
        String timeField = field(section, "time_field", Optional.of("@timestamp"));
        String uniqueField = field(section, "unique_field", Optional.empty());
        List<String> dimensions = dimensions(section, timeField, uniqueField);
        Duration granularity = section.duration("granularity", Duration.ofHours(1), MINUTE, DAY);
        boolean granularityOk = true;
        if (DAY.toMillis() % granularity.toMillis() != 0) {
            section.problem("granularity", "must divide a day evenly, like 5m, 15m, 1h, 6h or 1d");
            granularityOk = false;
        }
        List<ZoneId> zones = zones(section, granularityOk ? granularity : Duration.ofMinutes(1));
        int precision = section.integer("precision", 14, 4, 18);
        Duration lateness = section.duration("lateness", Duration.ofMinutes(15), Duration.ZERO, Duration.ofDays(31));
        int maxExact = section.integer("max_exact_values", DEFAULT_MAX_EXACT_VALUES, 1, 500_000_000);
        RealtimeSettings realtime = RealtimeSettings.read(
                section.section("realtime"), granularityOk ? granularity : Duration.ofHours(1), lateness);
        Optional<KibanaRewriteMode> rewrite = kibanaRewrite(section);
        Optional<EdgeReads> edges = kibanaEdges(section);
        if (!ok
                || !granularityOk
                || name.isEmpty()
                || source.isEmpty()
                || timeField == null
                || uniqueField == null
                || dimensions == null
                || zones == null
                || rewrite.isEmpty()
                || edges.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new UniqueCountDefinition(
                name.get(),
                source.get(),
                timeField,
                uniqueField,
                dimensions,
                granularity,
                zones,
                precision,
                lateness,
                maxExact,
                realtime,
                rewrite.get(),
                edges.get()));
    }

    /** Empty when the value is not one of the modes (reported). */
    private static Optional<KibanaRewriteMode> kibanaRewrite(ConfigSection section) {
        Optional<ConfigValue> value = section.value("kibana_rewrite");
        if (value.isEmpty()) {
            return Optional.of(KibanaRewriteMode.DEFAULT);
        }
        Optional<String> text = value.get().string();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<KibanaRewriteMode> mode = KibanaRewriteMode.parse(text.get());
        if (mode.isEmpty()) {
            value.get()
                    .problem("must be on, off or shadow (shadow: sent to Elasticsearch and also answered from the"
                            + " sketches, both logged)");
        }
        return mode;
    }

    /** Empty when the value is not {@code fine} or {@code exact} (reported). */
    private static Optional<EdgeReads> kibanaEdges(ConfigSection section) {
        Optional<ConfigValue> value = section.value("kibana_edges");
        if (value.isEmpty()) {
            return Optional.of(EdgeReads.DEFAULT);
        }
        Optional<String> text = value.get().string();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<EdgeReads> edges = EdgeReads.parse(text.get());
        if (edges.isEmpty()) {
            value.get()
                    .problem("must be fine (edges from the stored fine tier, bounded inside a fine granule) or exact"
                            + " (edges read from the source)");
        }
        return edges;
    }

    /** A field name, or null when it is invalid or missing (reported). */
    private static String field(ConfigSection section, String key, Optional<String> defaultValue) {
        Optional<String> value = defaultValue.isPresent()
                ? Optional.of(section.string(key, defaultValue.get()))
                : section.required(key).flatMap(ConfigValue::string);
        if (value.isEmpty()) {
            return null;
        }
        if (!FIELD.matcher(value.get()).matches()) {
            section.problem(key, "must be one field name, without spaces, commas or wildcards");
            return null;
        }
        return value.get();
    }

    private static List<String> dimensions(ConfigSection section, String timeField, String uniqueField) {
        List<String> dimensions = new ArrayList<>();
        boolean ok = true;
        for (ConfigValue item : section.list("dimensions")) {
            Optional<String> field = item.string();
            if (field.isEmpty()) {
                ok = false;
            } else if (!FIELD.matcher(field.get()).matches()) {
                item.problem("must be one field name, without spaces, commas or wildcards");
                ok = false;
            } else if (dimensions.contains(field.get())) {
                item.problem("is listed twice");
                ok = false;
            } else if (field.get().equals(uniqueField) || field.get().equals(timeField)) {
                item.problem("is the " + (field.get().equals(uniqueField) ? "unique_field" : "time_field")
                        + "; a dimension must be another field");
                ok = false;
            } else {
                dimensions.add(field.get());
            }
        }
        if (dimensions.size() > UniqueCountDefinition.MAX_DIMENSIONS) {
            section.problem(
                    "dimensions",
                    "has " + dimensions.size() + " fields; at most "
                            + UniqueCountDefinition.MAX_DIMENSIONS
                            + " are allowed (every subset is precomputed, 2^n per bucket);"
                            + " define a second unique count for the others");
            ok = false;
        }
        return ok ? dimensions : null;
    }

    private static List<ZoneId> zones(ConfigSection section, Duration granularity) {
        Optional<ConfigValue> value = section.value("time_zones");
        if (value.isEmpty()) {
            return List.of(ZoneId.of("UTC"));
        }
        if (value.get().isEmptyList()) {
            value.get().problem("must list at least one time zone, like [\"UTC\"]; leave the key out for UTC");
            return null;
        }
        Optional<List<ConfigValue>> items = value.get().list();
        if (items.isEmpty()) {
            return null; // not a list: reported
        }
        List<ZoneId> zones = new ArrayList<>();
        boolean ok = true;
        for (ConfigValue item : items.get()) {
            Optional<String> text = item.string();
            if (text.isEmpty()) {
                ok = false;
                continue;
            }
            ZoneId zone;
            try {
                zone = ZoneId.of(text.get());
            } catch (DateTimeException e) {
                item.problem(
                        "is not a time zone; use a region id like \"Asia/Seoul\" or \"Europe/Berlin\", or \"UTC\"");
                ok = false;
                continue;
            }
            if (zones.contains(zone)) {
                item.problem("is listed twice");
                ok = false;
                continue;
            }
            Optional<ZoneOffset> misaligned = misalignedOffset(zone, granularity);
            if (misaligned.isPresent()) {
                item.problem("has UTC offset " + misaligned.get() + ", so its days do not start on a "
                        + Durations.format(granularity)
                        + " bucket; use a granularity that divides the offset, like 15m");
                ok = false;
                continue;
            }
            zones.add(zone);
        }
        return ok ? zones : null;
    }

    /** An offset the zone uses (1990–2100) that is not a whole number of granules, if any. */
    private static Optional<ZoneOffset> misalignedOffset(ZoneId zone, Duration granularity) {
        long step = granularity.getSeconds();
        ZoneRules rules = zone.getRules();
        List<ZoneOffset> offsets = new ArrayList<>();
        offsets.add(rules.getOffset(OFFSETS_FROM));
        Instant at = OFFSETS_FROM;
        while (true) {
            ZoneOffsetTransition next = rules.nextTransition(at);
            if (next == null || next.getInstant().isAfter(OFFSETS_TO)) {
                break;
            }
            offsets.add(next.getOffsetAfter());
            at = next.getInstant();
        }
        return offsets.stream().filter(o -> o.getTotalSeconds() % step != 0).findFirst();
    }

    List<Object> toYamlTree() {
        List<Object> list = new ArrayList<>();
        for (UniqueCountDefinition definition : definitions) {
            list.add(definition.toYamlTree());
        }
        return list;
    }
}
