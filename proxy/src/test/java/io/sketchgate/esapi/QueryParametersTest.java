package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query string as Elasticsearch's {@code RestUtils.decodeQueryString} reads it. */
class QueryParametersTest {
    @Test
    void pairs_areSplitOnAmpersands_andTheFirstEquals() {
        assertThat(QueryParameters.parse("/logs/_search?size=0&q=a=b&track_total_hits"))
                .isEqualTo(Map.of("size", "0", "q", "a=b", "track_total_hits", ""));
    }

    @Test
    void aRepeatedName_keepsTheLastValue() {
        assertThat(QueryParameters.parse("/_search?size=0&size=2")).isEqualTo(Map.of("size", "2"));
    }

    @Test
    void emptyPairs_andEmptyQueries_holdNothing() {
        assertThat(QueryParameters.parse("/_search?&&size=1&&")).isEqualTo(Map.of("size", "1"));
        assertThat(QueryParameters.parse("/_search?")).isEmpty();
        assertThat(QueryParameters.parse("/_search")).isEmpty();
        assertThat(QueryParameters.parse("/_search?=x")).isEqualTo(Map.of("", "x"));
    }

    @Test
    void theFragment_isNotPartOfTheQuery() {
        assertThat(QueryParameters.parse("/_search?q=a#b&size=3")).isEqualTo(Map.of("q", "a"));
        assertThat(QueryParameters.parse("/_search?q=a&#size=3")).isEqualTo(Map.of("q", "a"));
        assertThat(QueryParameters.parse("/_search#x?size=3")).isEqualTo(Map.of("size", "3"));
    }

    @Test
    void namesAndValues_arePercentAndPlusDecoded() {
        assertThat(QueryParameters.parse("/_search?q%3D=a+b%26c&s%69ze=%zz"))
                .isEqualTo(Map.of("q=", "a b&c", "size", "%zz"));
    }
}
