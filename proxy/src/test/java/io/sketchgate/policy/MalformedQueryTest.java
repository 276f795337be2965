package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Input Elasticsearch rejects becomes a TimeSpanException naming the path; nothing else escapes. */
class MalformedQueryTest {
    private final TimeSpanExtractor extractor = new TimeSpanExtractor();

    record Bad(String query, TimeSpanException.Type type, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    static Stream<Bad> rows() {
        TimeSpanException.Type parse = TimeSpanException.Type.PARSE_EXCEPTION;
        TimeSpanException.Type parsing = TimeSpanException.Type.PARSING_EXCEPTION;
        TimeSpanException.Type illegal = TimeSpanException.Type.ILLEGAL_ARGUMENT_EXCEPTION;
        return Stream.of(
                new Bad(
                        "{'range':{'@timestamp':'now-1d'}}",
                        parsing,
                        "query.range: [range] query does not support [@timestamp]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':['now']}}}",
                        parsing,
                        "query.range.@timestamp.gte: [range] bound must be a string, number or null, was ARRAY"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'now-1d'},'other':{'gte':1}}}",
                        parsing,
                        "query.range: [range] query doesn't support multiple fields, found [@timestamp] and [other]"),
                new Bad(
                        "{'range':{'@timestamp':{'since':'now-1d'}}}",
                        parsing,
                        "query.range.@timestamp.since: [range] query does not support [since]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'now-1d','include_lower':'yes'}}}",
                        parsing,
                        "query.range.@timestamp.include_lower: must be true or false, was \"yes\""),
                new Bad(
                        "{'bool':{'filter':[{'range':{'@timestamp':{'gte':'last tuesday'}}}]}}",
                        parse,
                        "query.bool.filter[0].range.@timestamp: failed to parse date field [last tuesday] with "
                                + "format [strict_date_optional_time||epoch_millis]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'now-1q'}}}",
                        parse,
                        "query.range.@timestamp: unit [q] not supported for date math [-1q]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'2026-09-01','format':'yyyy-MM-dd{'}}}",
                        illegal,
                        "query.range.@timestamp.format: Invalid format: [yyyy-MM-dd{]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'2026-09-01','time_zone':'Mars/Olympus'}}}",
                        illegal,
                        "query.range.@timestamp.time_zone: unknown time zone [Mars/Olympus]"),
                new Bad(
                        "{'range':{'@timestamp':{'gte':'2026-09-01','relation':'disjoint'}}}",
                        illegal,
                        "query.range.@timestamp.relation: relation [disjoint] is not supported on a date field"),
                new Bad(
                        "{'bool':{'filter':'range'}}",
                        parsing,
                        "query.bool.filter: must be a query object or an array of query objects, was STRING"),
                new Bad("{'bool':{'must':[42]}}", parsing, "query.bool.must[0]: a query must be an object, was NUMBER"),
                new Bad(
                        "{'match_all':{},'range':{'@timestamp':{'gte':'now'}}}",
                        parsing,
                        "query: a query object must hold exactly one query type, found [match_all, range]"),
                new Bad(
                        "{'bool':[]}",
                        parsing,
                        "query.bool: [bool] query malformed, no start_object after query name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void requiredSpan_ofWhatElasticsearchRejects_throwsANamedProblem(Bad row) {
        JsonNode query = Json.parse(row.query());

        assertThatThrownBy(() -> extractor.requiredSpan(query, "@timestamp", TimeSpanExtractorTest.NOW))
                .isInstanceOfSatisfying(TimeSpanException.class, e -> {
                    assertThat(e.type()).isEqualTo(row.type());
                    assertThat(e.status()).isEqualTo(400);
                })
                .hasMessageStartingWith(row.message());
    }

    @Test
    void requiredSpan_ofMalformedClausesOffTheRequiredPath_doesNotLookAtThem() {
        JsonNode query = Json.parse("{'bool':{'filter':[{'range':{'@timestamp':{'gte':'now-1d'}}}],"
                + "'must_not':[{'range':{'@timestamp':'garbage'}}],'should':[{'range':{'@timestamp':{'gte':'x'}}}],"
                + "'minimum_should_match':'nonsense'}}");

        RequiredSpan result = extractor.requiredSpan(query, "@timestamp", TimeSpanExtractorTest.NOW);

        assertThat(result.hasTimeFilter()).isTrue();
    }

    @Test
    void requiredSpan_ofAQueryNestedDeeperThan100Levels_saysSo() {
        String query = "{'range':{'@timestamp':{'gte':'now-1d'}}}";
        for (int i = 0; i < 150; i++) {
            query = "{'bool':{'filter':[" + query + "]}}";
        }
        JsonNode deep = Json.parse(query);

        assertThatThrownBy(() -> extractor.requiredSpan(deep, "@timestamp", TimeSpanExtractorTest.NOW))
                .isInstanceOf(TimeSpanException.class)
                .hasMessageEndingWith("query is nested too deeply (more than 100 levels)");
    }

    @Test
    void requiredSpan_ofAQueryNested100Levels_isStillRead() {
        String query = "{'range':{'@timestamp':{'gte':'now-1d'}}}";
        for (int i = 0; i < 99; i++) {
            query = "{'constant_score':{'filter':" + query + "}}";
        }

        RequiredSpan result = extractor.requiredSpan(Json.parse(query), "@timestamp", TimeSpanExtractorTest.NOW);

        assertThat(result.span().hasLowerBound()).isTrue();
    }

    @Test
    void newExtractor_forAMappingFormatItCannotEvaluate_isAConfigurationError() {
        assertThatThrownBy(() -> new TimeSpanExtractor("basic_date"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("date format [basic_date] is not supported for a time field; use ISO, epoch or numeric "
                        + "java.time patterns");
    }

    @Test
    void requiredSpan_withAMappingFormatOfEpochSeconds_readsBareNumbersAsSeconds() {
        TimeSpanExtractor seconds = new TimeSpanExtractor("epoch_second");
        JsonNode query = Json.parse("{'range':{'@timestamp':{'gte':'1713182400'}}}");

        RequiredSpan result = seconds.requiredSpan(query, "@timestamp", TimeSpanExtractorTest.NOW);

        assertThat(result.span().from()).contains(java.time.Instant.parse("2024-04-15T12:00:00Z"));
    }
}
