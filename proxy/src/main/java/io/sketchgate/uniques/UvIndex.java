package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stored buckets of one definition: the hidden index {@code sketchgate-uv-<name>}, one document per
 * (level, zone, start, dimension values). Shape (see {@code docs/unique-counts.md}):
 * <pre>
 * {"level":"1h|day|week|month", "time_zone":"UTC", "start":"...", "end":"...",
 *  "dimensions":{"country":"KR","device":"__all__"},
 *  "uv":123, "pv":456, "exact":true, "sketch":"&lt;base64 of the hll format&gt;",
 *  "pv_by_minute":[3,0,5,2,4] (granules and fine granules),
 *  "value_minutes":"&lt;base64, 2 bytes a value&gt;" (granules and fine granules stored as exact sets),
 *  "value_millis":"&lt;base64, 4 bytes a value&gt;" (beside value_minutes: the millisecond within each minute),
 *  "step_registers":"&lt;base64&gt;" (granules of a dimension subset stored with registers: StepRegisters),
 *  "step_millis":"&lt;base64, 2 bytes an event&gt;" (beside step_registers: each event's millisecond in its minute),
 *  "event_millis":"&lt;base64&gt;" (root fine granules and granules of the finest subset: each event's
 *  millisecond, EventMillis),
 *  "watermark":"...", "computed_at":"...", "definition_version":"9f2c..."}
 * </pre>
 */
public final class UvIndex {
    public static final String PREFIX = "sketchgate-uv-";

    private UvIndex() {}

    public static String name(UniqueCountDefinition definition) {
        return PREFIX + definition.name();
    }

    static void ensure(EsJson es, UniqueCountDefinition definition) throws IOException {
        es.createIndexIfAbsent(name(definition), body(definition));
        // an index made by an older release lacks fields added since (dynamic: strict would refuse them)
        es.require("PUT", "/" + name(definition) + "/_mapping", Map.of("properties", properties(definition)), Map.of());
    }

    /** Settings and explicit mapping; {@code dynamic: strict} so a stray field is an error, not a new column. */
    static Map<String, Object> body(UniqueCountDefinition definition) {
        return Map.of(
                "settings",
                        Map.of("index", Map.of("hidden", true, "number_of_shards", 1, "auto_expand_replicas", "0-1")),
                "mappings",
                        Map.of(
                                "dynamic",
                                "strict",
                                "_meta",
                                Map.of("definition", definition.name(), "definition_version", definition.version()),
                                "properties",
                                properties(definition)));
    }

    private static Map<String, Object> properties(UniqueCountDefinition definition) {
        Map<String, Object> dimensions = new LinkedHashMap<>();
        for (String dimension : definition.dimensions()) {
            dimensions.put(dimension, Map.of("type", "keyword"));
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("level", Map.of("type", "keyword"));
        properties.put("time_zone", Map.of("type", "keyword"));
        properties.put("start", Map.of("type", "date"));
        properties.put("end", Map.of("type", "date"));
        properties.put("dimensions", Map.of("properties", dimensions));
        properties.put("uv", Map.of("type", "long"));
        properties.put("pv", Map.of("type", "long"));
        // a fine granule's page views per minute: read back with the document, never searched
        properties.put("pv_by_minute", Map.of("type", "long", "index", false, "doc_values", false));
        properties.put("exact", Map.of("type", "boolean"));
        properties.put("sketch", Map.of("type", "binary"));
        // a granule's values' first and last minutes, beside its exact sketch (ValueMinutes): read with the sketch
        properties.put("value_minutes", Map.of("type", "binary"));
        // and the millisecond within each of those minutes, so that a cut off the minute is exact too
        properties.put("value_millis", Map.of("type", "binary"));
        // past the exact limit, its registers per minute instead (StepRegisters): read with the sketch
        properties.put("step_registers", Map.of("type", "binary"));
        // and the millisecond within its minute of each of their events, so that a cut off the minute is exact too
        properties.put("step_millis", Map.of("type", "binary"));
        // each event's millisecond, in root fine granules and finest-subset granules (EventMillis): a cut
        // off the minute counted in memory
        properties.put("event_millis", Map.of("type", "binary"));
        properties.put("watermark", Map.of("type", "date"));
        properties.put("computed_at", Map.of("type", "date"));
        properties.put("definition_version", Map.of("type", "keyword"));
        return properties;
    }
}
