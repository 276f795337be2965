package io.sketchgate.policy;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The bypass suite: ways to send a 90-day query that must all be refused. Shared by {@link PolicyEndToEndTest}
 * (the proxy refuses them) and the explain tests (explain says so, with the same error).
 * {@code {p}} in a path stands for the governed index prefix.
 */
public final class BypassRequests {
    public static final String TO = "2024-05-15T12:00:00.000Z";

    private BypassRequests() {}

    /** Name, method, path. */
    public static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("_count", "POST", "/{p}-*/_count"),
                Arguments.of("double slashes, ?pretty", "POST", "//{p}-*//_search/?pretty"),
                Arguments.of("encoded endpoint", "POST", "/{p}-*/%5Fsearch"),
                Arguments.of("upper-case endpoint", "POST", "/{p}-*/_SEARCH"),
                Arguments.of("GET with body", "GET", "/{p}-*/_search"),
                Arguments.of("all indices", "POST", "/_search"),
                Arguments.of("_all", "POST", "/_all/_search"),
                Arguments.of("async search submit", "POST", "/{p}-*/_async_search"),
                Arguments.of("delete by query", "POST", "/{p}-*/_delete_by_query"),
                Arguments.of("explain", "POST", "/{p}-2024/_explain/1"),
                Arguments.of("validate", "POST", "/{p}-*/_validate/query"));
    }

    /** What Kibana's Discover sends for the last 90 days up to {@link #TO}. */
    public static String discover90Days() {
        return "{\"size\":5,\"sort\":[{\"@timestamp\":\"desc\"}],\"query\":{\"bool\":{\"must\":[],\"filter\":[{\"range\":"
                + "{\"@timestamp\":{\"format\":\"strict_date_optional_time\",\"gte\":\"2024-02-15T12:00:00.000Z\",\"lte\":\""
                + TO + "\"}}}],\"should\":[],\"must_not\":[]}}}";
    }
}
