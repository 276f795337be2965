package io.sketchgate.esapi;

import io.netty.handler.codec.http.HttpMethod;
import java.util.Set;

/**
 * The query endpoints whose request bodies Sketchgate reads (policy, rewrite) and so buffers, bounded by
 * {@code limits.max_body}; every other request streams through unread. Which segments make a query is decided in
 * one place, {@link RequestClassifier#QUERY_SEGMENTS}. Matching is on the normalised path,
 * on any segment, because index names cannot start with an underscore and ES routes on the same segments.
 */
public final class InspectedEndpoints {
    /** Searches that change nothing, so a request that failed before any response byte may be sent again. */
    private static final Set<String> RETRYABLE_SEARCHES =
            Set.of("_search", "_msearch", "_count", "_field_caps", "_terms_enum", "_validate", "_explain", "_render");

    private InspectedEndpoints() {}

    public static boolean isInspected(RequestPath path) {
        return path.containsSegment(RequestClassifier.QUERY_SEGMENTS);
    }

    public static boolean isIdempotent(HttpMethod method, RequestPath path) {
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) || method.equals(HttpMethod.OPTIONS)) {
            return true;
        }
        return method.equals(HttpMethod.POST)
                && path.containsSegment(RETRYABLE_SEARCHES)
                && !path.containsSegment(Set.of("_async_search", "_pit", "_delete_by_query", "_update_by_query"));
    }
}
