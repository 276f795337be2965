package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestClassifierTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T20:30:00Z"), ZoneOffset.UTC);
    private final RequestClassifier classifier = new RequestClassifier(CLOCK);

    @ParameterizedTest(name = "{0} {1} is {2} on {3}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // search: plain, lists, wildcards, all
                "GET    | /_search                                   | SEARCH | ALL | -",
                "POST   | /_search                                   | SEARCH | ALL | -",
                "GET    | /weblogs-*/_search                         | SEARCH | weblogs-* | -",
                "POST   | /weblogs-*/_search?pretty                  | SEARCH | weblogs-* | -",
                "POST   | /a,b-*,-c/_search                          | SEARCH | a,b-*,-c | -",
                "POST   | /-c,b-*/_search                            | SEARCH | -c,b-* | -",
                "POST   | /_all/_search                              | SEARCH | ALL | -",
                "POST   | /*/_search                                 | SEARCH | ALL | -",
                "POST   | /,/_search                                 | SEARCH | ALL | -",
                "POST   | /a,/_search                                | SEARCH | a | -",
                "POST   | /*,-secret/_search                         | SEARCH | *,-secret | -",
                "POST   | /weblogs/_search/                          | SEARCH | weblogs | -",
                "POST   | //weblogs//_search//                       | SEARCH | weblogs | -",
                "POST   | //_search                                  | SEARCH | ALL | -",
                "POST   | /weblogs-%2A/_search                       | SEARCH | weblogs-* | -",
                "POST   | /weblogs/%5Fsearch                         | SEARCH | weblogs | -",
                "POST   | /weblogs/%5fsearch                         | SEARCH | weblogs | -",
                "POST   | /weblogs/_SEARCH                           | SEARCH | weblogs | -",
                "POST   | /_SEARCH                                   | SEARCH | ALL | -",
                "POST   | /%5FSearch?pretty&q=x                      | SEARCH | ALL | -",
                "POST   | /a%2Cb/_search                             | SEARCH | a,b | -",
                "POST   | /weblogs/_doc/_search                      | SEARCH | weblogs | -",
                "POST   | /weblogs/_search#fragment                  | SEARCH | weblogs | -",
                "HEAD   | /weblogs/_search                           | SEARCH | weblogs | -",
                "PUT    | /weblogs/_search                           | SEARCH | weblogs | -",
                "POST   | /WEBLOGS/_search                           | SEARCH | WEBLOGS | -",
                // date math
                "POST   | /<logs-{now/d}>/_search                    | SEARCH | <logs-{now | -",
                "POST   | /<logs-{now%2Fd}>/_search                  | SEARCH | logs-2026.11.25 | -",
                "POST   | /%3Clogs-%7Bnow%2Fd%7D%3E/_search          | SEARCH | logs-2026.11.25 | -",
                "POST   | /%3Clogs-%7Bnow%2FM%7Byyyy.MM%7D%7D%3E/_search | SEARCH | logs-2026.11 | -",
                "POST   | /%3Clogs-%7Bnow%2Fd%7Byyyy.MM.dd%7C%2B09:00%7D%7D%3E/_search | SEARCH | logs-2026.11.26 | -",
                "POST   | /%3Clogs-%7Bnow%2Fd-1d%7D%3E,%3Clogs-%7Bnow%2Fd%7D%3E/_search | SEARCH | logs-2026.11.24,logs-2026.11.25 | -",
                "POST   | /<logs-\\{x\\}-{now%2Fy{yyyy}}>/_search    | SEARCH | logs-{x}-2026 | -",
                "POST   | /logs-*,-<logs-{now%2Fd}>/_search          | SEARCH | logs-*,-logs-2026.11.25 | -",
                // remote
                "POST   | /remote:weblogs-*/_search                  | SEARCH | remote:weblogs-* | -",
                "POST   | /weblogs,eu:weblogs,*:orders/_search       | SEARCH | weblogs,eu:weblogs,*:orders | -",
                // msearch, templates
                "POST   | /_msearch                                  | MSEARCH | ALL | -",
                "POST   | /weblogs/_msearch                          | MSEARCH | weblogs | -",
                "POST   | //weblogs/_MSEARCH/                        | MSEARCH | weblogs | -",
                "POST   | /_msearch/template                         | MSEARCH_TEMPLATE | ALL | -",
                "POST   | /weblogs/_msearch/template                 | MSEARCH_TEMPLATE | weblogs | -",
                "POST   | /_search/template                          | SEARCH_TEMPLATE | ALL | -",
                "GET    | /weblogs/_search/template                  | SEARCH_TEMPLATE | weblogs | -",
                "GET    | /weblogs/_search/%74emplate                | SEARCH_TEMPLATE | weblogs | -",
                "POST   | /_render/template                          | RENDER_TEMPLATE | NONE | -",
                "POST   | /_render/template/my-template              | RENDER_TEMPLATE | NONE | -",
                // async search
                "POST   | /_async_search                             | ASYNC_SEARCH_SUBMIT | ALL | -",
                "POST   | /weblogs-*/_async_search?wait_for_completion_timeout=1s | ASYNC_SEARCH_SUBMIT | weblogs-* | -",
                "GET    | /_async_search/FmRld                       | ASYNC_SEARCH_GET | CONTINUATION | FmRld",
                "GET    | //_async_search//FmRld/                    | ASYNC_SEARCH_GET | CONTINUATION | FmRld",
                "GET    | /_async_search/status/FmRld                | ASYNC_SEARCH_STATUS | CONTINUATION | FmRld",
                "DELETE | /_async_search/FmRld                       | ASYNC_SEARCH_DELETE | CONTINUATION | FmRld",
                "DELETE | /%5Fasync_search/Fm%3DRld                  | ASYNC_SEARCH_DELETE | CONTINUATION | Fm=Rld",
                // count, validate, explain, field caps, terms enum
                "GET    | /_count                                    | COUNT | ALL | -",
                "POST   | /weblogs/_count?q=status:500               | COUNT | weblogs | -",
                "GET    | /_validate/query                           | VALIDATE_QUERY | ALL | -",
                "POST   | /weblogs/_validate/query?explain           | VALIDATE_QUERY | weblogs | -",
                "GET    | /weblogs/_explain/1                        | EXPLAIN | weblogs | -",
                "GET    | /_field_caps?fields=*                      | FIELD_CAPS | ALL | -",
                "POST   | /weblogs-*/_field_caps                     | FIELD_CAPS | weblogs-* | -",
                "POST   | /weblogs/_terms_enum                       | TERMS_ENUM | weblogs | -",
                // scroll and pit
                "POST   | /_search/scroll                            | SCROLL | CONTINUATION | -",
                "GET    | /_search/scroll/DXF1ZXJ5                   | SCROLL | CONTINUATION | DXF1ZXJ5",
                "GET    | /_search/scroll?scroll_id=DXF1ZXJ5         | SCROLL | CONTINUATION | -",
                "DELETE | /_search/scroll                            | SCROLL_CLEAR | CONTINUATION | -",
                "DELETE | /_search/scroll/_all                       | SCROLL_CLEAR | CONTINUATION | _all",
                "DELETE | //_search//SCROLL/                         | SCROLL_CLEAR | CONTINUATION | -",
                "POST   | /weblogs/_pit?keep_alive=1m                | PIT_OPEN | weblogs | -",
                "POST   | /_pit                                      | PIT_OPEN | ALL | -",
                "DELETE | /_pit                                      | PIT_CLOSE | CONTINUATION | -",
                // sql
                "POST   | /_sql?format=txt                           | SQL | BODY | -",
                "POST   | /_SQL                                      | SQL | BODY | -",
                "POST   | /_sql/translate                            | SQL_TRANSLATE | BODY | -",
                "POST   | /_sql/close                                | SQL_CLOSE | CONTINUATION | -",
                "GET    | /_sql/async/FnR0                           | SQL_ASYNC_GET | CONTINUATION | FnR0",
                "GET    | /_sql/async/status/FnR0                    | SQL_ASYNC_STATUS | CONTINUATION | FnR0",
                "DELETE | /_sql/async/delete/FnR0                    | SQL_ASYNC_DELETE | CONTINUATION | FnR0",
                "POST   | /_xpack/sql                                | SQL | BODY | -",
                // eql
                "POST   | /weblogs/_eql/search                       | EQL_SEARCH | weblogs | -",
                "GET    | /weblogs-*/_eql/search?wait_for_completion_timeout=2s | EQL_SEARCH | weblogs-* | -",
                "GET    | /_eql/search/FmNl                          | EQL_GET | CONTINUATION | FmNl",
                "GET    | /_eql/search/status/FmNl                   | EQL_STATUS | CONTINUATION | FmNl",
                "DELETE | /_eql/search/FmNl                          | EQL_DELETE | CONTINUATION | FmNl",
                // es|ql
                "POST   | /_query                                    | ESQL | BODY | -",
                "POST   | /_query?format=json                        | ESQL | BODY | -",
                "POST   | /_query/async                              | ESQL | BODY | -",
                "GET    | /_query/async/FmVz                         | ESQL_ASYNC_GET | CONTINUATION | FmVz",
                "POST   | /_query/async/FmVz/stop                    | ESQL_ASYNC_GET | CONTINUATION | FmVz",
                "DELETE | /_query/async/FmVz                         | ESQL_ASYNC_DELETE | CONTINUATION | FmVz",
                // knn, by-query
                "POST   | /weblogs/_knn_search                       | KNN_SEARCH | weblogs | -",
                "POST   | /weblogs/_delete_by_query?conflicts=proceed | DELETE_BY_QUERY | weblogs | -",
                "POST   | /weblogs,orders/_update_by_query           | UPDATE_BY_QUERY | weblogs,orders | -",
                "POST   | /_delete_by_query/node:1/_rethrottle       | NOT_A_QUERY | NONE | -",
                // other queries Sketchgate cannot read in detail
                "POST   | /weblogs/_mvt/geo/1/0/0                    | OTHER_QUERY | weblogs | -",
                "POST   | /weblogs/_graph/explore                    | OTHER_QUERY | weblogs | -",
                "POST   | /weblogs/_rollup_search                    | OTHER_QUERY | weblogs | -",
                "POST   | /weblogs/_fleet/_fleet_search              | OTHER_QUERY | weblogs | -",
                "POST   | /_fleet/_fleet_msearch                     | OTHER_QUERY | ALL | -",
                "POST   | /_application/search_application/app/_search | OTHER_QUERY | ALL | -",
                "POST   | /_transform/_preview                       | OTHER_QUERY | ALL | -",
                // not queries
                "GET    | /                                          | NOT_A_QUERY | NONE | -",
                "POST   | /_bulk                                     | NOT_A_QUERY | NONE | -",
                "GET    | /weblogs/_doc/1                            | NOT_A_QUERY | NONE | -",
                "GET    | /_cat/indices                              | NOT_A_QUERY | NONE | -",
                "GET    | /_cat/count/weblogs                        | NOT_A_QUERY | NONE | -",
                "GET    | /_cluster/health                           | NOT_A_QUERY | NONE | -",
                "GET    | /my_search_index/_doc/1                    | NOT_A_QUERY | NONE | -",
                "POST   | /_security/_query/api_key                  | NOT_A_QUERY | NONE | -",
                "GET    | /_security/_authenticate                   | NOT_A_QUERY | NONE | -",
                "GET    | /_search_shards_x                          | NOT_A_QUERY | NONE | -",
                "GET    | /_resolve/index/weblogs*                   | NOT_A_QUERY | NONE | -",
                "PUT    | /weblogs                                   | NOT_A_QUERY | NONE | -",
            })
    void classify_findsEndpointAndIndicesAsElasticsearchRoutesThem(
            String method, String uri, QueryEndpoint endpoint, String targets, String id) {
        ClassifiedRequest request = classifier.classify(method, uri);
        assertThat(request.endpoint()).isEqualTo(endpoint);
        assertThat(request.targets().toString()).isEqualTo(targets);
        assertThat(request.pathId()).isEqualTo(Optional.ofNullable(id));
    }

    @ParameterizedTest(name = "{0} classifies as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "/weblogs-*/_search                    | //weblogs-%2A//%5Fsearch/?pretty",
                "/weblogs-*/_search                    | /weblogs-*/_SEARCH",
                "/weblogs-*/_search                    | /weblogs-*/_search?method=DELETE",
                "/weblogs-*/_search                    | /weblogs-%2a/_search/",
                "/weblogs-*/_search                    | /weblogs-*/_doc/_search",
                "/weblogs-*/_search                    | /weblogs-*/_search#x",
                "/a,b/_search                          | /a%2Cb/_search",
                "/a,b/_search                          | /a,,b/_search",
                "/_search                              | /_all/_search",
                "/_search                              | /*/_search",
                "/_search                              | //_search",
                "/_search                              | /%2A/%5Fsearch",
                "/_msearch                             | /%5Fmsearch",
                "/weblogs/_count                       | /weblogs/_COUNT/",
                "/weblogs/_async_search                | //weblogs/%5Fasync%5Fsearch",
                "/_async_search/abc                    | /_ASYNC_SEARCH/abc/",
                "/_search/scroll                       | /_search/Scroll",
                "/_sql                                 | /%5Fsql/",
                "/_query                               | /_QUERY",
                "/logs-2026.11.25/_search              | /%3Clogs-%7Bnow%2Fd%7D%3E/_search",
                "/logs-2026.11.25/_search              | /<logs-{now%2Fd{yyyy.MM.dd}}>/_search",
                "/logs-2026.11.25/_search              | /<logs-{now%2Fd{yyyy.MM.dd%7CUTC}}>/_search",
            })
    void spellings_ofOneRequest_classifyTheSame(String plain, String other) {
        ClassifiedRequest a = classifier.classify("POST", plain);
        ClassifiedRequest b = classifier.classify("POST", other);
        assertThat(b.endpoint()).isEqualTo(a.endpoint());
        assertThat(b.targets().toString()).isEqualTo(a.targets().toString());
        assertThat(b.pathId()).isEqualTo(a.pathId());
    }

    @Test
    void methodOverrideHeaderAndParameter_areIgnored_asElasticsearchIgnoresThem() {
        assertThat(classifier.classify("DELETE", "/_async_search/x?method=GET").endpoint())
                .isEqualTo(QueryEndpoint.ASYNC_SEARCH_DELETE);
        assertThat(classifier.classify("get", "/_async_search/x?method=DELETE").endpoint())
                .isEqualTo(QueryEndpoint.ASYNC_SEARCH_GET);
    }

    @Test
    void sourceParameter_isTheBodyOfAGetRequest() {
        ClassifiedRequest request = classifier.classify(
                "GET",
                "/weblogs/_search?source=%7B%22query%22%3A%7B%22match_all%22%3A%7B%7D%7D%7D&source_content_type=application/json");
        assertThat(request.urlBody()).hasValueSatisfying(body -> {
            assertThat(body.content()).isEqualTo("{\"query\":{\"match_all\":{}}}");
            assertThat(body.contentType()).contains("application/json");
        });
    }

    @Test
    void sourceParameter_repeated_lastOneWins_asInElasticsearch() {
        ClassifiedRequest request = classifier.classify("GET", "/w/_search?source=%7B%7D&source=%7B%22size%22%3A1%7D");
        assertThat(request.urlBody()).map(ClassifiedRequest.UrlBody::content).contains("{\"size\":1}");
        assertThat(request.urlBody())
                .map(ClassifiedRequest.UrlBody::contentType)
                .contains(Optional.empty());
    }

    @Test
    void luceneQueryParameter_isDecodedWithPlusAsSpace() {
        assertThat(classifier
                        .classify("GET", "/w/_search?q=status:500+AND+%40timestamp:%3E2026")
                        .luceneQuery())
                .contains("status:500 AND @timestamp:>2026");
        assertThat(classifier.classify("GET", "/w/_search").luceneQuery()).isEmpty();
    }

    @Test
    void indexExpression_keepsRemoteAndExclusionApart() {
        IndexTargets targets = classifier
                .classify("POST", "/logs-*,-logs-old,eu:logs-*/_search")
                .targets();
        assertThat(targets.local()).extracting(IndexExpression::name).containsExactly("logs-*", "logs-old");
        assertThat(targets.local().get(1).exclusion()).isTrue();
        assertThat(targets.remote()).singleElement().satisfies(e -> {
            assertThat(e.cluster()).contains("eu");
            assertThat(e.name()).isEqualTo("logs-*");
        });
    }

    @Test
    void exclusion_beforeAnyWildcard_isALiteralName() {
        IndexExpression first = classifier
                .classify("POST", "/-logs,logs-*/_search")
                .targets()
                .expressions()
                .get(0);
        assertThat(first.exclusion()).isFalse();
        assertThat(first.name()).isEqualTo("-logs");
    }

    @Test
    void dateMath_withTimeZoneColon_staysLocal() {
        IndexExpression item = classifier
                .classify("POST", "/%3Clogs-%7Bnow%2Fd%7Byyyy.MM.dd%7C%2B09:00%7D%7D%3E/_search")
                .targets()
                .expressions()
                .get(0);
        assertThat(item.isRemote()).isFalse();
        assertThat(item.isDateMath()).isTrue();
        assertThat(item.name()).isEqualTo("logs-2026.11.26");
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "/<logs-{now%2Fd>/_search        ~ invalid date math index name [<logs-{now/d>]: missing '}'",
                "/<logs-{now%2Fq}>/_search       ~ invalid date math index name [<logs-{now/q}>]: unknown date math unit 'q'",
                "/<logs-{2026-01-01}>/_search    ~ invalid date math index name [<logs-{2026-01-01}>]: date math must start with 'now'",
                "/<logs-{now{yyyy%7CMars%2FBase}}>/_search ~ invalid date math index name [<logs-{now{yyyy|Mars/Base}}>]: unknown time zone [Mars/Base]",
            })
    void badDateMath_isATypedError(String uri, String message) {
        assertThatThrownBy(() -> classifier.classify("POST", uri))
                .isInstanceOf(RequestClassificationException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((RequestClassificationException) e).type())
                        .isEqualTo("sketchgate_index_expression_exception"));
    }

    @Test
    void aRepeatedUri_isReadOnce_butItsDateMathFollowsTheClock() {
        Instant[] now = {Instant.parse("2026-11-25T12:00:00Z")};
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        RequestClassifier remembering = new RequestClassifier(moving);
        String uri = "/<logs-{now%2Fd}>/_search?size=0&q=a";

        ClassifiedRequest first = remembering.classify("POST", uri);
        now[0] = now[0].plus(java.time.Duration.ofDays(1));
        ClassifiedRequest second = remembering.classify("POST", uri);

        assertThat(second.parameters()).isSameAs(first.parameters()).containsEntry("size", "0");
        assertThat(second.path()).isSameAs(first.path());
        assertThat(first.targets().expressions().get(0).name()).isEqualTo("logs-2026.11.25");
        assertThat(second.targets().expressions().get(0).name()).isEqualTo("logs-2026.11.26");
    }
}
