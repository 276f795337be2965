package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealElasticsearch
class SourceMappingCheckTest {
    private static final String INDEX = IndexNames.unique(SourceMappingCheckTest.class);

    @BeforeAll
    static void createIndex(TestElasticsearch es) throws Exception {
        es.requests().createIndex(INDEX, """
                {"mappings":{"properties":{
                  "ts":{"type":"keyword"}, "@timestamp":{"type":"date"},
                  "user":{"type":"text"}, "user_id":{"type":"keyword"},
                  "country":{"type":"long"}, "device":{"type":"keyword"}}}}""");
    }

    private static UniqueCountDefinition definition(String source, String time, String unique, List<String> dims) {
        return TestDefinitions.definition(
                "mapping",
                source,
                time,
                unique,
                dims,
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC")),
                14,
                Duration.ofMinutes(15),
                1000);
    }

    private static UniqueCountException run(TestElasticsearch es, UniqueCountDefinition definition) {
        return catchThrowableOfType(
                UniqueCountException.class,
                () -> PrecomputeJob.builder(es.client(), definition)
                        .build()
                        .run(Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z")));
    }

    @Test
    void fieldsOfTheWrongTypeOrMissing_areEachNamedWithTheFix(TestElasticsearch es) {
        UniqueCountException e = run(es, definition(INDEX, "ts", "user", List.of("country", "nope", "device")));

        assertThat(e.problems())
                .containsExactly(
                        "unique_counts.mapping.time_field: \"ts\" is a keyword field; it must be a date or date_nanos field;"
                                + " name the event time field",
                        "unique_counts.mapping.unique_field: \"user\" is a text field; it must be a keyword or numeric (long,"
                                + " integer, short, byte, unsigned_long, double) field; use its keyword sub-field or map it as keyword",
                        "unique_counts.mapping.dimensions: \"country\" is a long field; dimensions must be keyword fields;"
                                + " use its keyword sub-field, map it as keyword, or remove it from dimensions",
                        "unique_counts.mapping.dimensions: \"nope\" is not a field of \"" + INDEX
                                + "\"; check the spelling" + " against the mapping or add the field");
    }

    @Test
    void sourceMatchingNoIndex_isNamed(TestElasticsearch es) {
        UniqueCountException e = run(es, definition(INDEX + "-missing-*", "@timestamp", "user_id", List.of()));

        assertThat(e.problems())
                .containsExactly("unique_counts.mapping.source: \"" + INDEX + "-missing-*\" matches"
                        + " no index; load the data first or fix the pattern");
    }

    @Test
    void matchingMapping_passes(TestElasticsearch es) throws Exception {
        SourceMappingCheck.check(
                new EsJson(es.client()), definition(INDEX, "@timestamp", "user_id", List.of("device")));
    }
}
