package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The span each query shape requires on the time field; each row is one shape a client can send. */
class TimeSpanExtractorTest {
    static final Instant NOW = Instant.parse("2026-09-15T10:20:30.456Z");
    static final String TS = "@timestamp";
    static final String EMPTY = "empty";
    private static final String A = "2026-09-01T00:00:00.000Z";
    private static final String B = "2026-09-08T00:00:00.000Z";
    private static final String RANGE_AB =
            "{'range':{'@timestamp':{'gte':'" + A + "','lte':'" + B + "','format':'strict_date_optional_time'}}}";
    private static final String RANGE_2024 = "{'range':{'@timestamp':{'gte':'2024-01-01','lte':'2024-01-31'}}}";
    private static final String MATCH = "{'match':{'message':'error'}}";

    /**
     * @param from expected first instant, null for no lower bound, {@link #EMPTY} for the empty span
     * @param to   expected last instant, null for no upper bound
     */
    record Row(String description, String field, String query, String from, String to, boolean hasFilter) {
        @Override
        public String toString() {
            return description;
        }

        TimeSpan expected() {
            if (EMPTY.equals(from)) {
                return TimeSpan.empty();
            }
            if (from == null && to == null) {
                return TimeSpan.unbounded();
            }
            if (from == null) {
                return TimeSpan.atOrBefore(Instant.parse(to));
            }
            if (to == null) {
                return TimeSpan.atOrAfter(Instant.parse(from));
            }
            return TimeSpan.between(Instant.parse(from), Instant.parse(to));
        }
    }

    private static Row row(String description, String query, String from, String to, boolean hasFilter) {
        return new Row(description, TS, query, from, to, hasFilter);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // --- the shapes Kibana sends
                row(
                        "Kibana: absolute ISO range in bool.filter",
                        "{'bool':{'must':[],'filter':[" + RANGE_AB + "],'should':[],'must_not':[]}}",
                        A,
                        B,
                        true),
                row(
                        "Kibana filtersInMustClause: the range in bool.must",
                        "{'bool':{'must':[" + RANGE_AB + "],'filter':[],'should':[],'must_not':[]}}",
                        A,
                        B,
                        true),
                row(
                        "Kibana KQL: a should-bool with minimum_should_match next to the range",
                        "{'bool':{'filter':[{'bool':{'should':[" + MATCH + "],'minimum_should_match':1}},"
                                + "{'match_phrase':{'http.response.status_code':'200'}}," + RANGE_AB + "]}}",
                        A,
                        B,
                        true),
                // --- range parameters
                row("top-level range", RANGE_AB, A, B, true),
                row("gte alone leaves the end open", "{'range':{'@timestamp':{'gte':'" + A + "'}}}", A, null, true),
                row("lte alone leaves the start open", "{'range':{'@timestamp':{'lte':'" + B + "'}}}", null, B, true),
                row(
                        "gt starts one millisecond later",
                        "{'range':{'@timestamp':{'gt':'" + A + "'}}}",
                        "2026-09-01T00:00:00.001Z",
                        null,
                        true),
                row(
                        "lt ends one millisecond earlier",
                        "{'range':{'@timestamp':{'lt':'" + B + "'}}}",
                        null,
                        "2026-09-07T23:59:59.999Z",
                        true),
                row(
                        "gt now/d means after the end of today",
                        "{'range':{'@timestamp':{'gt':'now/d'}}}",
                        "2026-09-16T00:00:00Z",
                        null,
                        true),
                row(
                        "lte now/d means up to the end of today",
                        "{'range':{'@timestamp':{'lte':'now/d'}}}",
                        null,
                        "2026-09-15T23:59:59.999Z",
                        true),
                row(
                        "lt now/d rounds down",
                        "{'range':{'@timestamp':{'lt':'now/d'}}}",
                        null,
                        "2026-09-14T23:59:59.999Z",
                        true),
                row(
                        "gte now-90d/d to now",
                        "{'range':{'@timestamp':{'gte':'now-90d/d','lte':'now'}}}",
                        "2026-06-17T00:00:00Z",
                        "2026-09-15T10:20:30.456Z",
                        true),
                row(
                        "gt now starts a millisecond after now",
                        "{'range':{'@timestamp':{'gt':'now'}}}",
                        "2026-09-15T10:20:30.457Z",
                        null,
                        true),
                row(
                        "from/to are inclusive by default",
                        "{'range':{'@timestamp':{'from':'" + A + "','to':'" + B + "'}}}",
                        A,
                        B,
                        true),
                row(
                        "from/to with include_lower and include_upper false",
                        "{'range':{'@timestamp':{'from':'" + A + "','to':'" + B
                                + "','include_lower':false,'include_upper':'false'}}}",
                        "2026-09-01T00:00:00.001Z",
                        "2026-09-07T23:59:59.999Z",
                        true),
                row(
                        "gte after include_lower false makes the bound inclusive again",
                        "{'range':{'@timestamp':{'include_lower':false,'gte':'" + A + "'}}}",
                        A,
                        null,
                        true),
                row(
                        "include_lower false after gte makes it exclusive",
                        "{'range':{'@timestamp':{'gte':'" + A + "','include_lower':false}}}",
                        "2026-09-01T00:00:00.001Z",
                        null,
                        true),
                row(
                        "null bounds are an exists query, not a time filter",
                        "{'range':{'@timestamp':{'gte':null,'lte':null}}}",
                        null,
                        null,
                        false),
                row(
                        "null lower bound with an upper bound",
                        "{'range':{'@timestamp':{'gte':null,'lte':'" + B + "'}}}",
                        null,
                        B,
                        true),
                row(
                        "lte a bare date rounds up to the end of that day",
                        "{'range':{'@timestamp':{'gte':'2026-09-01','lte':'2026-09-07'}}}",
                        A,
                        "2026-09-07T23:59:59.999Z",
                        true),
                row(
                        "lte a bare month rounds up only to the end of its first day, as in Elasticsearch",
                        "{'range':{'@timestamp':{'lte':'2026-09'}}}",
                        null,
                        "2026-09-01T23:59:59.999Z",
                        true),
                row(
                        "lte with anchor and rounding ||/d",
                        "{'range':{'@timestamp':{'gte':'2026-09-01||-1M'," + "'lte':'2026-09-01||/d'}}}",
                        "2026-08-01T00:00:00Z",
                        "2026-09-01T23:59:59.999Z",
                        true),
                row(
                        "JSON numbers without format are epoch_millis",
                        "{'range':{'@timestamp':{'gte':1713182400000,'lte':1715774400000}}}",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T12:00:00Z",
                        true),
                row(
                        "a JSON number on one side makes now on the other side still work",
                        "{'range':{'@timestamp':{'gte':1713182400000,'lte':'now'}}}",
                        "2024-04-15T12:00:00Z",
                        "2026-09-15T10:20:30.456Z",
                        true),
                row(
                        "epoch_millis strings with format",
                        "{'range':{'@timestamp':{'gte':'1713182400000','lt':'1715774400000','format':'epoch_millis'}}}",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T11:59:59.999Z",
                        true),
                row(
                        "epoch_second with lte rounds up within the second",
                        "{'range':{'@timestamp':{'gte':1713182400,'lte':1715774400,'format':'epoch_second'}}}",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T12:00:00.999Z",
                        true),
                row(
                        "negative epoch millis",
                        "{'range':{'@timestamp':{'gte':-86400000,'lt':0}}}",
                        "1969-12-31T00:00:00Z",
                        "1969-12-31T23:59:59.999Z",
                        true),
                row(
                        "custom pattern yyyy-MM-dd HH:mm:ss",
                        "{'range':{'@timestamp':{'gte':'2026-09-01 00:00:00',"
                                + "'lte':'2026-09-07 23:59:59','format':'yyyy-MM-dd HH:mm:ss'}}}",
                        A,
                        "2026-09-07T23:59:59.999Z",
                        true),
                row(
                        "several formats separated by ||",
                        "{'range':{'@timestamp':{'gte':'01/09/2026',"
                                + "'lte':'1756944000000','format':'dd/MM/yyyy||epoch_millis'}}}",
                        A,
                        "2025-09-04T00:00:00Z",
                        true),
                row(
                        "time_zone applies to dates without a zone",
                        "{'range':{'@timestamp':{'gte':'2026-09-01T09:00:00','lte':'2026-09-08','time_zone':'+09:00'}}}",
                        A,
                        "2026-09-08T14:59:59.999Z",
                        true),
                row(
                        "time_zone rounds now/d to Seoul midnight",
                        "{'range':{'@timestamp':{'gte':'now/d','lte':'now/d','time_zone':'Asia/Seoul'}}}",
                        "2026-09-14T15:00:00Z",
                        "2026-09-15T14:59:59.999Z",
                        true),
                row(
                        "a zone in the date wins over time_zone",
                        "{'range':{'@timestamp':{'gte':'" + A + "','time_zone':'America/New_York'}}}",
                        A,
                        null,
                        true),
                row(
                        "epoch values with a positive time_zone: the earlier start of either ES behaviour",
                        "{'range':{'@timestamp':{'gte':1713182400000,'lte':1713268800000,'time_zone':'+02:00'}}}",
                        "2024-04-15T10:00:00Z",
                        "2024-04-16T12:00:00Z",
                        true),
                row(
                        "epoch values with a negative time_zone: the later end of either ES behaviour",
                        "{'range':{'@timestamp':{'gte':1713182400000,'lte':1713268800000,'time_zone':'-02:00'}}}",
                        "2024-04-15T12:00:00Z",
                        "2024-04-16T14:00:00Z",
                        true),
                row(
                        "gt at the largest epoch wraps to no lower bound, as in Elasticsearch",
                        "{'range':{'@timestamp':{'gt':9223372036854775807,'lte':'now'}}}",
                        null,
                        "2026-09-15T10:20:30.456Z",
                        true),
                row(
                        "boost, _name and relation do not change the span",
                        "{'range':{'@timestamp':{'gte':'" + A + "','lte':'" + B
                                + "','boost':2,'_name':'t','relation':'within'}}}",
                        A,
                        B,
                        true),
                // --- what does not narrow
                row(
                        "a format we do not evaluate makes the range unbounded",
                        "{'range':{'@timestamp':{'gte':'20260901','format':'basic_date'}}}",
                        null,
                        null,
                        false),
                row(
                        "a week-based pattern makes the range unbounded",
                        "{'range':{'@timestamp':{'gte':'2026-36','format':'YYYY-ww'}}}",
                        null,
                        null,
                        false),
                row("a range on another field", "{'range':{'event.ingested':{'gte':'" + A + "'}}}", null, null, false),
                row("match_all", "{'match_all':{}}", null, null, false),
                row("an empty query object", "{}", null, null, false),
                row(
                        "Kibana's empty bool",
                        "{'bool':{'must':[],'filter':[],'should':[],'must_not':[]}}",
                        null,
                        null,
                        false),
                row("a range in must_not", "{'bool':{'must_not':[" + RANGE_AB + "]}}", null, null, false),
                row(
                        "an optional should range next to a filter",
                        "{'bool':{'filter':[" + MATCH + "],'should':[" + RANGE_AB + "]}}",
                        null,
                        null,
                        false),
                row(
                        "should with minimum_should_match 0 next to must",
                        "{'bool':{'must':[" + MATCH + "],'should':[" + RANGE_AB + "],'minimum_should_match':0}}",
                        null,
                        null,
                        false),
                row(
                        "one of two should clauses has no range",
                        "{'bool':{'should':[" + RANGE_AB + "," + MATCH + "]}}",
                        null,
                        null,
                        false),
                row(
                        "a range inside nested",
                        "{'nested':{'path':'events','query':" + RANGE_AB + "}}",
                        null,
                        null,
                        false),
                row(
                        "a range inside has_child",
                        "{'has_child':{'type':'c','query':" + RANGE_AB + "}}",
                        null,
                        null,
                        false),
                row(
                        "a range inside has_parent",
                        "{'has_parent':{'parent_type':'p','query':" + RANGE_AB + "}}",
                        null,
                        null,
                        false),
                row(
                        "query_string with a Lucene range is not parsed",
                        "{'query_string':{'query':'@timestamp:[2026-09-01 TO 2026-09-08]'}}",
                        null,
                        null,
                        false),
                row("simple_query_string", "{'simple_query_string':{'query':'error'}}", null, null, false),
                row(
                        "term on the time field is not used to narrow",
                        "{'term':{'@timestamp':'" + A + "'}}",
                        null,
                        null,
                        false),
                row("exists on the time field", "{'exists':{'field':'@timestamp'}}", null, null, false),
                row(
                        "boosting.negative does not narrow",
                        "{'boosting':{'positive':" + MATCH + ",'negative':" + RANGE_AB + ",'negative_boost':0.5}}",
                        null,
                        null,
                        false),
                row(
                        "function_score without query",
                        "{'function_score':{'functions':[{'filter':" + RANGE_AB + ",'weight':2}]}}",
                        null,
                        null,
                        false),
                row(
                        "dis_max with a query without range",
                        "{'dis_max':{'queries':[" + RANGE_AB + ",{'match_all':{}}]}}",
                        null,
                        null,
                        false),
                // --- required contexts
                row(
                        "two filter ranges intersect",
                        "{'bool':{'filter':[" + RANGE_AB + ",{'range':{'@timestamp':{'gte':'2026-09-05'}}}]}}",
                        "2026-09-05T00:00:00Z",
                        B,
                        true),
                row(
                        "a must range and a filter range intersect",
                        "{'bool':{'must':[" + RANGE_AB + "],'filter':[{'range':{'@timestamp':{'lt':'2026-09-03'}}}]}}",
                        A,
                        "2026-09-02T23:59:59.999Z",
                        true),
                row("a clause list may be a single object", "{'bool':{'filter':" + RANGE_AB + "}}", A, B, true),
                row(
                        "required clauses at any depth",
                        "{'bool':{'must':[{'bool':{'filter':[{'bool':{'must':" + RANGE_AB + "}}]}}]}}",
                        A,
                        B,
                        true),
                row(
                        "a range on another field next to the time range",
                        "{'bool':{'filter':[" + RANGE_AB + ",{'range':{'bytes':{'gte':10}}}]}}",
                        A,
                        B,
                        true),
                row("constant_score.filter", "{'constant_score':{'filter':" + RANGE_AB + ",'boost':1.2}}", A, B, true),
                row(
                        "function_score.query, functions ignored",
                        "{'function_score':{'query':" + RANGE_AB + ",'functions':[{'filter':" + RANGE_2024
                                + ",'weight':2}]}}",
                        A,
                        B,
                        true),
                row(
                        "script_score.query",
                        "{'script_score':{'query':" + RANGE_AB + ",'script':{'source':'1'}}}",
                        A,
                        B,
                        true),
                row(
                        "boosting.positive",
                        "{'boosting':{'positive':" + RANGE_AB + ",'negative':" + MATCH + ",'negative_boost':0.2}}",
                        A,
                        B,
                        true),
                row(
                        "a bool with a single should clause requires it",
                        "{'bool':{'should':[" + RANGE_AB + "]}}",
                        A,
                        B,
                        true),
                row(
                        "should clauses without must or filter: the hull of their ranges",
                        "{'bool':{'should':[" + RANGE_AB + "," + RANGE_2024 + "]}}",
                        "2024-01-01T00:00:00Z",
                        B,
                        true),
                row(
                        "should required by minimum_should_match 1 next to a filter",
                        "{'bool':{'filter':[{'range':{'@timestamp':{'gte':'2026-09-03'}}}],'should':[" + RANGE_AB
                                + "],'minimum_should_match':1}}",
                        "2026-09-03T00:00:00Z",
                        B,
                        true),
                row(
                        "minimum_should_match 100% requires every should clause",
                        "{'bool':{'filter':[" + MATCH + "],'should':[" + RANGE_AB
                                + ",{'range':{'@timestamp':{'lte':'2026-09-02'}}}],'minimum_should_match':'100%'}}",
                        A,
                        "2026-09-02T23:59:59.999Z",
                        true),
                row(
                        "minimum_should_match -1 of two requires one: the hull",
                        "{'bool':{'filter':[" + MATCH + "],'should':[" + RANGE_AB + "," + RANGE_2024
                                + "],'minimum_should_match':'-1'}}",
                        "2024-01-01T00:00:00Z",
                        B,
                        true),
                row(
                        "dis_max: the hull of its queries",
                        "{'dis_max':{'queries':[" + RANGE_AB + "," + RANGE_2024 + "]}}",
                        "2024-01-01T00:00:00Z",
                        B,
                        true),
                row(
                        "a should match_none adds nothing to the hull",
                        "{'bool':{'should':[{'match_none':{}}," + RANGE_AB + "]}}",
                        A,
                        B,
                        true),
                // --- empty spans
                row("match_none matches nothing", "{'match_none':{}}", EMPTY, null, true),
                row(
                        "a filter with match_none",
                        "{'bool':{'filter':[" + RANGE_AB + ",{'match_none':{}}]}}",
                        EMPTY,
                        null,
                        true),
                row(
                        "contradictory ranges",
                        "{'bool':{'filter':[" + RANGE_AB + "," + RANGE_2024 + "]}}",
                        EMPTY,
                        null,
                        true),
                row(
                        "gt and lt the same instant",
                        "{'range':{'@timestamp':{'gt':'" + A + "','lt':'" + A + "'}}}",
                        EMPTY,
                        null,
                        true),
                // --- another time field
                new Row(
                        "the extractor reads the time field it is given",
                        "event.created",
                        "{'bool':{'filter':[" + RANGE_AB + ",{'range':{'event.created':{'gte':'2026-09-03'}}}]}}",
                        "2026-09-03T00:00:00Z",
                        null,
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void requiredSpan_ofEachQueryShape_isTheSpanElasticsearchWouldScan(Row row) {
        JsonNode query = Json.parse(row.query());

        RequiredSpan result = new TimeSpanExtractor().requiredSpan(query, row.field(), NOW);

        assertThat(result.span()).isEqualTo(row.expected());
        assertThat(result.hasTimeFilter()).isEqualTo(row.hasFilter());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void requiredSpanOfSearch_ofABodyWithThatQuery_isTheSame(Row row) {
        JsonNode body = Json.parse("{'size':0,'query':" + row.query() + "}");

        RequiredSpan result = new TimeSpanExtractor().requiredSpanOfSearch(body, row.field(), NOW);

        assertThat(result.span()).isEqualTo(row.expected());
    }

    @org.junit.jupiter.api.Test
    void table_hasAtLeastSixtyShapes() {
        List<Row> all = rows().toList();

        assertThat(all).hasSizeGreaterThanOrEqualTo(60);
        assertThat(all.stream().map(Row::description).distinct().count()).isEqualTo(all.size());
    }
}
