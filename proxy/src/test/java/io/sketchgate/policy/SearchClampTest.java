package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SearchClampTest {
    private static final Instant NOW = TimeSpanExtractorTest.NOW;
    private static final String TS = "@timestamp";
    private final TimeSpanExtractor extractor = new TimeSpanExtractor();

    @Test
    void clamp_of90DaysTo31_keepsTheLast31DaysAsARequiredRange() {
        ObjectNode body = Json.object("{'size':0,'aggs':{'u':{'cardinality':{'field':'user.id'}}},'query':{'bool':"
                + "{'filter':[{'range':{'@timestamp':{'gte':'now-90d','lte':'now','format':'strict_date_optional_time'}}},"
                + "{'term':{'service':'web'}}]}}}");
        TimeSpan requested = extractor.requiredSpanOfSearch(body, TS, NOW).span();
        TimeSpan window = requested.latest(Duration.ofDays(31), NOW);

        ClampedSearch clamped = SearchClamp.clamp(body, TS, window);

        assertThat((Object) clamped.body())
                .isEqualTo(Json.parse("{'size':0,'aggs':{'u':{'cardinality':"
                        + "{'field':'user.id'}}},'query':{'bool':{'filter':[{'range':{'@timestamp':{"
                        + "'gte':'2026-08-15T10:20:30.456Z','lte':'2026-09-15T10:20:30.456Z',"
                        + "'format':'strict_date_optional_time'}}}],'must':[" + body.get("query") + "]}}}"));
        assertThat(clamped.headerValue()).isEqualTo("2026-08-15T10:20:30.456Z/2026-09-15T10:20:30.456Z");
        assertThat(extractor.requiredSpanOfSearch(clamped.body(), TS, NOW).span())
                .isEqualTo(window);
    }

    @Test
    void clamp_ofABodyWithoutQuery_wrapsMatchAll() {
        ObjectNode body = Json.object("{'size':10}");
        TimeSpan window =
                TimeSpan.between(Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-09-02T00:00:00Z"));

        ClampedSearch clamped = SearchClamp.clamp(body, TS, window);

        assertThat((Object) clamped.body().at("/query/bool/must/0")).isEqualTo(Json.parse("{'match_all':{}}"));
        assertThat(extractor.requiredSpanOfSearch(clamped.body(), TS, NOW).span())
                .isEqualTo(window);
        assertThat((Object) body).isEqualTo(Json.parse("{'size':10}"));
    }

    @Test
    void clamp_toAnOpenEndedWindow_setsOnlyTheLowerBound() {
        TimeSpan window = TimeSpan.atOrAfter(Instant.parse("2026-09-01T00:00:00Z"));

        ClampedSearch clamped = SearchClamp.clamp(Json.object("{}"), TS, window);

        assertThat(clamped.headerValue()).isEqualTo("2026-09-01T00:00:00.000Z/..");
        assertThat(extractor.requiredSpanOfSearch(clamped.body(), TS, NOW).span())
                .isEqualTo(window);
    }

    @Test
    void clamp_toTheEmptyWindow_matchesNothing() {
        ClampedSearch clamped = SearchClamp.clamp(Json.object("{'query':{'match_all':{}}}"), TS, TimeSpan.empty());

        assertThat(clamped.headerValue()).isEqualTo("empty");
        assertThat(extractor
                        .requiredSpanOfSearch(clamped.body(), TS, NOW)
                        .span()
                        .isEmpty())
                .isTrue();
    }

    @Test
    void clamp_toAWindowBeyondYear9999_writesEpochMillis() {
        TimeSpan window =
                TimeSpan.between(Instant.parse("+20000-01-01T00:00:00Z"), Instant.parse("+20000-01-31T00:00:00Z"));

        ClampedSearch clamped = SearchClamp.clamp(Json.object("{}"), TS, window);

        assertThat(clamped.body()
                        .at("/query/bool/filter/0/range/@timestamp/format")
                        .asText())
                .isEqualTo("epoch_millis");
        assertThat(extractor.requiredSpanOfSearch(clamped.body(), TS, NOW).span())
                .isEqualTo(window);
    }

    static Stream<String> queries() {
        return TimeSpanExtractorTest.rows()
                .map(TimeSpanExtractorTest.Row::query)
                .filter(q -> !q.contains("event.created"));
    }

    @ParameterizedTest
    @MethodSource("queries")
    void clamp_ofAnyTableQuery_neverWidensAndStaysInsideTheWindow(String query) {
        ObjectNode body = Json.object("{'query':" + query + "}");
        TimeSpan before = extractor.requiredSpanOfSearch(body, TS, NOW).span();
        TimeSpan window = before.latest(Duration.ofDays(3), NOW);

        TimeSpan after = extractor
                .requiredSpanOfSearch(SearchClamp.clamp(body, TS, window).body(), TS, NOW)
                .span();

        assertThat(after).isEqualTo(before.intersect(window));
        assertThat(window.contains(after)).isTrue();
        assertThat(before.contains(after)).isTrue();
    }

    static Stream<String> unclampableBodies() {
        return Stream.of(
                "{'knn':{'field':'v','query_vector':[1],'k':1,'num_candidates':1}}",
                "{'retriever':{'standard':{'query':{'match_all':{}}}}}",
                "{'suggest':{'s':{'text':'x','term':{'field':'m'}}}}",
                "{'runtime_mappings':{'@timestamp':{'type':'date','script':'emit(0)'}}}",
                "{'aggs':{'all':{'global':{},'aggs':{'n':{'value_count':{'field':'x'}}}}}}",
                "{'aggs':{'t':{'terms':{'field':'x'},'aggs':{'s':{'significant_terms':{'field':'y'}}}}}}",
                "{'query':{'bool':{'should':[{'has_child':{'type':'c','query':{'match_all':{}},'inner_hits':{}}}]}}}");
    }

    @ParameterizedTest
    @MethodSource("unclampableBodies")
    void clamp_ofSectionsAFilterDoesNotLimit_isRefused(String body) {
        ObjectNode search = Json.object(body);

        assertThatThrownBy(() -> SearchClamp.clamp(search, TS, TimeSpan.atOrAfter(NOW)))
                .isInstanceOf(TimeSpanException.class)
                .hasMessageStartingWith("body: cannot clamp this search to a time window");
        assertThat(extractor.requiredSpanOfSearch(search, TS, NOW).span().isUnbounded())
                .isTrue();
    }
}
