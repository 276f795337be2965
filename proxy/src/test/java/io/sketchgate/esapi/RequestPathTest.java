package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.transport.RequestRouter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {

    @ParameterizedTest(name = "{0} normalises to {1}")
    @CsvSource({
        "/logs-*/_search,                      /logs-*/_search",
        "/logs-*/_search?pretty,               /logs-*/_search",
        "//logs-*//_search/,                   /logs-*/_search",
        "/logs-%2A/%5Fsearch,                  /logs-*/_search",
        "/logs-*/%5fsearch#frag,               /logs-*/_search",
        "/%3Clogs-%7Bnow%2Fd%7D%3E/_search,    /<logs-{now/d}>/_search",
        "/bad%zzescape/_count,                 /bad%zzescape/_count",
        "/%E2%82%AC/_search,                   /€/_search",
        "/,                                    /",
    })
    void parse_normalisesSpellingsAsElasticsearchRoutesThem(String uri, String expected) {
        assertThat(RequestPath.parse(uri).toString()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} is reserved")
    @CsvSource({"/_sketchgate/health", "//_sketchgate/health", "/%5Fsketchgate/x", "/_SKETCHGATE/x", "/_sketchgate?x=1"
    })
    void reservedPrefix_isRecognisedInEverySpelling(String uri) {
        assertThat(RequestPath.parse(uri).startsWith(RequestRouter.RESERVED_PREFIX))
                .isTrue();
    }

    @ParameterizedTest(name = "{0} inspected={1}")
    @CsvSource({
        "/logs-*/_search, true", "/_msearch, true", "/logs/_async_search, true", "/logs/_count, true",
        "/_search/scroll, true", "/_sql/translate, true", "/logs/%5Fsearch, true", "/logs/_SEARCH, true",
        "/_pit, true", "/logs/_eql/search, true", "/_query, true", "/logs/_delete_by_query, true",
        "/_bulk, false", "/logs/_doc/1, false", "/_cat/indices, false", "/_cluster/health, false",
        "/my_search_index/_doc/1, false",
    })
    void inspectedEndpoints_coverEveryQueryPath(String uri, boolean inspected) {
        assertThat(InspectedEndpoints.isInspected(RequestPath.parse(uri))).isEqualTo(inspected);
    }
}
