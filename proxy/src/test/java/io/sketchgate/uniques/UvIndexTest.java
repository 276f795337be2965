package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bucket index's mapping, on a real node. */
@RealElasticsearch
class UvIndexTest {

    @Test
    @SuppressWarnings("unchecked")
    void anIndexMadeBeforeAFieldExisted_getsItAdded_andKeepsItsDocuments(TestElasticsearch es) throws Exception {
        UniqueCountDefinition definition = TestDefinitions.definition(
                IndexNames.unique("uvidx"),
                "logs-none-*",
                "@timestamp",
                "user_id",
                List.of("country"),
                Duration.ofHours(1),
                List.of(ZoneOffset.UTC),
                14,
                Duration.ofMinutes(15),
                1_000);
        EsJson json = new EsJson(es.client());
        Map<String, Object> older = new LinkedHashMap<>(UvIndex.body(definition));
        Map<String, Object> mappings = new LinkedHashMap<>((Map<String, Object>) older.get("mappings"));
        Map<String, Object> properties = new LinkedHashMap<>((Map<String, Object>) mappings.get("properties"));
        properties.remove("pv_by_minute");
        mappings.put("properties", properties);
        older.put("mappings", mappings);
        String index = UvIndex.name(definition);
        json.require("PUT", "/" + index, older, Map.of());
        json.require("PUT", "/" + index + "/_doc/kept", Map.of("pv", 7), Map.of("refresh", "true"));

        UvIndex.ensure(json, definition);
        json.require(
                "PUT", "/" + index + "/_doc/new", Map.of("pv", 5, "pv_by_minute", List.of(1, 0, 2, 1, 1)), Map.of());

        JsonNode kept = json.require("GET", "/" + index + "/_doc/kept", null, Map.of());
        assertThat(kept.path("_source").path("pv").asLong()).isEqualTo(7);
        JsonNode added = json.require("GET", "/" + index + "/_doc/new", null, Map.of());
        assertThat(added.path("_source").path("pv_by_minute").size()).isEqualTo(5);
    }
}
