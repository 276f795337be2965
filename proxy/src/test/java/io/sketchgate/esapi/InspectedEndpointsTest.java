package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The transport buffers a body exactly when policy could need it: every request the classifier calls a query is
 * inspected, in every spelling, because the two read one list of keywords.
 */
class InspectedEndpointsTest {
    private final RequestClassifier classifier =
            new RequestClassifier(Clock.fixed(Instant.parse("2026-12-05T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void everyPathTheClassifierCallsAQuery_isInspected() {
        List<String> paths = new ArrayList<>();
        for (String keyword : RequestClassifier.QUERY_SEGMENTS) {
            for (String spelled : List.of(keyword, keyword.toUpperCase(Locale.ROOT), "%5F" + keyword.substring(1))) {
                paths.add("/" + spelled);
                paths.add("/logs/" + spelled);
                paths.add("/logs/_doc/" + spelled);
                paths.add("/" + spelled + "/async/abc");
            }
        }
        RequestClassifier.NAMESPACE_QUERIES.forEach(
                (namespace, keywords) -> keywords.forEach(keyword -> paths.add("/" + namespace + "/" + keyword)));
        paths.addAll(List.of("/_sql/translate", "/_query/async/abc", "/_search/scroll", "/_pit", "/_eql/search/abc"));

        List<String> queries = paths.stream()
                .filter(path -> classifier.classify("POST", path).endpoint().isQuery())
                .toList();

        assertThat(queries).hasSizeGreaterThan(50);
        assertThat(queries)
                .allSatisfy(path -> assertThat(InspectedEndpoints.isInspected(RequestPath.parse(path)))
                        .as("%s is a query but its body would stream unread", path)
                        .isTrue());
    }

    @Test
    void aDocumentInAnIndexNamedLikeANamespaceKeyword_isNotInspected() {
        assertThat(InspectedEndpoints.isInspected(RequestPath.parse("/sql/_doc/1")))
                .isFalse();
        assertThat(InspectedEndpoints.isInspected(RequestPath.parse("/logs/_bulk")))
                .isFalse();
    }
}
