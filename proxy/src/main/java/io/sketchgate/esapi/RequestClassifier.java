package io.sketchgate.esapi;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Classifies a request (method, raw URI) into a {@link QueryEndpoint} and the {@link IndexTargets} it names.
 *
 * <p><b>How it relates to Elasticsearch's router.</b> ES matches the raw path, split on {@code /}, against a
 * trie of routes: explicit segments first, then {@code {index}}-style wildcards whose values are percent-decoded.
 * So {@code /logs/%5Fsearch}, {@code /logs/_SEARCH} or {@code //logs//_search} do not reach the search handler
 * in ES (it answers 400/405, or reads {@code _SEARCH} as an index name and rejects it). This class is
 * deliberately <em>wider</em>: it decodes every segment, drops empty ones and compares endpoint keywords
 * case-insensitively, so every spelling ES could route as a query is classified as that query, and spellings
 * ES would refuse are classified the same as their plain form. Over-classifying only ever makes policy check
 * a request that ES would have refused anyway.
 *
 * <p>The method matters only where ES uses it to pick between endpoints of one path (DELETE of an async id,
 * of a scroll or PIT). ES honours neither {@code X-HTTP-Method-Override} nor {@code ?method=} (8.19 answers
 * 405 and "unrecognized parameter"), so neither is read here. A method ES does not accept for a query path
 * (HEAD on {@code _search}: 405) is still classified as the query.
 *
 * <p>Index names: the first segment, when it is not itself a keyword, names the indices; a root segment
 * starting with {@code _} (other than {@code _all}) is an ES namespace ({@code _security}, {@code _cat}...), whose
 * APIs never search user indices, except the few listed in {@link #NAMESPACE_QUERIES}.
 */
public final class RequestClassifier {

    /** Endpoint keywords, wherever they appear after the index segment (ES 7 compat adds a type segment). */
    private static final Map<String, QueryEndpoint> KEYWORDS = Map.ofEntries(
            Map.entry("_search", QueryEndpoint.SEARCH),
            Map.entry("_msearch", QueryEndpoint.MSEARCH),
            Map.entry("_async_search", QueryEndpoint.ASYNC_SEARCH_SUBMIT),
            Map.entry("_count", QueryEndpoint.COUNT),
            Map.entry("_validate", QueryEndpoint.VALIDATE_QUERY),
            Map.entry("_explain", QueryEndpoint.EXPLAIN),
            Map.entry("_field_caps", QueryEndpoint.FIELD_CAPS),
            Map.entry("_terms_enum", QueryEndpoint.TERMS_ENUM),
            Map.entry("_pit", QueryEndpoint.PIT_OPEN),
            Map.entry("_eql", QueryEndpoint.EQL_SEARCH),
            Map.entry("_knn_search", QueryEndpoint.KNN_SEARCH),
            Map.entry("_delete_by_query", QueryEndpoint.DELETE_BY_QUERY),
            Map.entry("_update_by_query", QueryEndpoint.UPDATE_BY_QUERY),
            Map.entry("_rollup_search", QueryEndpoint.OTHER_QUERY),
            Map.entry("_mvt", QueryEndpoint.OTHER_QUERY),
            Map.entry("_graph", QueryEndpoint.OTHER_QUERY),
            Map.entry("_fleet_search", QueryEndpoint.OTHER_QUERY),
            Map.entry("_fleet_msearch", QueryEndpoint.OTHER_QUERY));

    /** Keywords that are endpoints only as the first segment: they take no index in the path. */
    private static final Map<String, QueryEndpoint> ROOT_KEYWORDS = Map.of(
            "_sql", QueryEndpoint.SQL,
            "_query", QueryEndpoint.ESQL,
            "_render", QueryEndpoint.RENDER_TEMPLATE,
            "_esql", QueryEndpoint.ESQL);

    /** ES namespaces whose APIs run queries over user indices named server-side (so: every index). */
    static final Map<String, Set<String>> NAMESPACE_QUERIES = Map.of(
            "_fleet", Set.of("_fleet_search", "_fleet_msearch"),
            "_application", Set.of("_search", "_render_query"),
            "_transform", Set.of("_preview"),
            "_ml", Set.of("_preview", "_explain"),
            "_watcher", Set.of("_execute"),
            "_xpack", Set.of("sql"));

    /**
     * Every path segment that can make a request a query, in any position: the union of the keywords above. The
     * transport buffers the body of a request with one of these segments for policy to read
     * ({@link InspectedEndpoints}); a superset of what {@link #classify} calls a query, never a subset.
     */
    public static final Set<String> QUERY_SEGMENTS = querySegments();

    private static Set<String> querySegments() {
        Set<String> all = new java.util.HashSet<>(KEYWORDS.keySet());
        all.addAll(ROOT_KEYWORDS.keySet());
        // a namespace's own keyword may be a plain word (_xpack/sql): buffer the namespace then, not every "sql"
        NAMESPACE_QUERIES.forEach((namespace, keywords) ->
                keywords.forEach(keyword -> all.add(keyword.startsWith("_") ? keyword : namespace)));
        return Set.copyOf(all);
    }

    /** Characters of distinct URIs whose parts are remembered (about three times that in memory). */
    static final long REMEMBERED_URI_CHARS = 1 << 20;

    private final Clock clock;
    /**
     * Path and parameters are a pure function of the URI (date math in index names is not: it is evaluated per
     * request), and a Kibana sends the same few URIs again and again, so each is read once.
     */
    private final Cache<String, UriParts> uris = Caches.newBuilder()
            .maximumWeight(REMEMBERED_URI_CHARS)
            .weigher((String uri, UriParts parts) -> uri.length())
            .build();

    /** The parts of one URI, immutable. */
    private record UriParts(RequestPath path, List<String> lower, Map<String, String> parameters) {
        static UriParts of(String uri) {
            RequestPath path = RequestPath.parse(uri);
            return new UriParts(path, lowerCase(path.segments()), Map.copyOf(QueryParameters.parse(uri)));
        }
    }

    public RequestClassifier(Clock clock) {
        this.clock = clock;
    }

    public ClassifiedRequest classify(String method, String uri) {
        String upperMethod = method.toUpperCase(Locale.ROOT);
        UriParts parts = uris.get(uri, UriParts::of);
        RequestPath path = parts.path();
        Map<String, String> params = parts.parameters();
        List<String> segments = path.segments();
        List<String> lower = parts.lower();
        Match match = match(upperMethod, segments, lower);
        IndexTargets targets = switch (match.endpoint.targets()) {
            case PATH ->
                match.indexSegment
                        .map(s -> IndexExpressions.parse(s, clock.instant()))
                        .orElse(IndexTargets.all());
            case BODY -> IndexTargets.inBody();
            case CONTINUATION -> IndexTargets.continuation();
            case NONE -> IndexTargets.none();
        };
        return new ClassifiedRequest(upperMethod, match.endpoint, path, targets, match.id, params);
    }

    private static List<String> lowerCase(List<String> segments) {
        String[] lower = new String[segments.size()];
        for (int i = 0; i < lower.length; i++) {
            lower[i] = segments.get(i).toLowerCase(Locale.ROOT); // the same String when already lower case
        }
        return List.of(lower);
    }

    private static Match match(String method, List<String> segments, List<String> lower) {
        if (segments.isEmpty()) {
            return Match.notAQuery();
        }
        String root = lower.get(0);
        QueryEndpoint rootOnly = ROOT_KEYWORDS.get(root);
        if (rootOnly != null) {
            return rootEndpoint(rootOnly, method, segments, lower);
        }
        if (root.startsWith("_") && !root.equals("_all") && !KEYWORDS.containsKey(root)) {
            Set<String> queries = NAMESPACE_QUERIES.get(root);
            if (queries != null && lower.stream().skip(1).anyMatch(queries::contains)) {
                return root.equals("_xpack")
                        ? new Match(QueryEndpoint.SQL, Optional.empty(), Optional.empty())
                        : new Match(QueryEndpoint.OTHER_QUERY, Optional.empty(), Optional.empty());
            }
            return Match.notAQuery();
        }
        int start = KEYWORDS.containsKey(root) ? 0 : 1;
        for (int k = start; k < lower.size(); k++) {
            QueryEndpoint endpoint = KEYWORDS.get(lower.get(k));
            if (endpoint == null) {
                continue;
            }
            Optional<String> index = k == 0 || root.equals("_all") ? Optional.empty() : Optional.of(segments.get(0));
            return keywordEndpoint(endpoint, method, index, segments, lower, k);
        }
        return Match.notAQuery();
    }

    private static Match keywordEndpoint(
            QueryEndpoint endpoint,
            String method,
            Optional<String> index,
            List<String> segments,
            List<String> lower,
            int k) {
        String next = k + 1 < lower.size() ? lower.get(k + 1) : null;
        switch (endpoint) {
            case SEARCH:
                if ("scroll".equals(next)) {
                    QueryEndpoint scroll = method.equals("DELETE") ? QueryEndpoint.SCROLL_CLEAR : QueryEndpoint.SCROLL;
                    return new Match(scroll, Optional.empty(), idAt(segments, k + 2));
                }
                if ("template".equals(next)) {
                    return new Match(QueryEndpoint.SEARCH_TEMPLATE, index, Optional.empty());
                }
                return new Match(QueryEndpoint.SEARCH, index, Optional.empty());
            case MSEARCH:
                return new Match(
                        "template".equals(next) ? QueryEndpoint.MSEARCH_TEMPLATE : QueryEndpoint.MSEARCH,
                        index,
                        Optional.empty());
            case ASYNC_SEARCH_SUBMIT:
                if (k == 0 && next != null) {
                    if (next.equals("status") && k + 2 < segments.size()) {
                        return new Match(QueryEndpoint.ASYNC_SEARCH_STATUS, Optional.empty(), idAt(segments, k + 2));
                    }
                    QueryEndpoint byId = method.equals("DELETE")
                            ? QueryEndpoint.ASYNC_SEARCH_DELETE
                            : QueryEndpoint.ASYNC_SEARCH_GET;
                    return new Match(byId, Optional.empty(), idAt(segments, k + 1));
                }
                return new Match(QueryEndpoint.ASYNC_SEARCH_SUBMIT, index, Optional.empty());
            case PIT_OPEN:
                return method.equals("DELETE")
                        ? new Match(QueryEndpoint.PIT_CLOSE, Optional.empty(), Optional.empty())
                        : new Match(QueryEndpoint.PIT_OPEN, index, Optional.empty());
            case EQL_SEARCH:
                if (k == 0 && "search".equals(next) && k + 2 < segments.size()) {
                    if (lower.get(k + 2).equals("status") && k + 3 < segments.size()) {
                        return new Match(QueryEndpoint.EQL_STATUS, Optional.empty(), idAt(segments, k + 3));
                    }
                    QueryEndpoint byId = method.equals("DELETE") ? QueryEndpoint.EQL_DELETE : QueryEndpoint.EQL_GET;
                    return new Match(byId, Optional.empty(), idAt(segments, k + 2));
                }
                return new Match(QueryEndpoint.EQL_SEARCH, index, Optional.empty());
            case DELETE_BY_QUERY:
            case UPDATE_BY_QUERY:
                if (lower.get(lower.size() - 1).equals("_rethrottle")) {
                    return Match.notAQuery();
                }
                return new Match(endpoint, index, Optional.empty());
            default:
                return new Match(endpoint, index, Optional.empty());
        }
    }

    private static Match rootEndpoint(
            QueryEndpoint endpoint, String method, List<String> segments, List<String> lower) {
        String next = lower.size() > 1 ? lower.get(1) : null;
        if (endpoint == QueryEndpoint.SQL && next != null) {
            return switch (next) {
                case "translate" -> new Match(QueryEndpoint.SQL_TRANSLATE, Optional.empty(), Optional.empty());
                case "close" -> new Match(QueryEndpoint.SQL_CLOSE, Optional.empty(), Optional.empty());
                case "async" -> sqlAsync(method, segments, lower);
                default -> new Match(QueryEndpoint.SQL, Optional.empty(), Optional.empty());
            };
        }
        if (endpoint == QueryEndpoint.ESQL && "async".equals(next) && segments.size() > 2) {
            QueryEndpoint byId =
                    method.equals("DELETE") ? QueryEndpoint.ESQL_ASYNC_DELETE : QueryEndpoint.ESQL_ASYNC_GET;
            return new Match(byId, Optional.empty(), idAt(segments, 2));
        }
        return new Match(endpoint, Optional.empty(), Optional.empty());
    }

    private static Match sqlAsync(String method, List<String> segments, List<String> lower) {
        if (segments.size() > 3 && lower.get(2).equals("status")) {
            return new Match(QueryEndpoint.SQL_ASYNC_STATUS, Optional.empty(), idAt(segments, 3));
        }
        if (segments.size() > 3 && lower.get(2).equals("delete")) {
            return new Match(QueryEndpoint.SQL_ASYNC_DELETE, Optional.empty(), idAt(segments, 3));
        }
        QueryEndpoint byId = method.equals("DELETE") ? QueryEndpoint.SQL_ASYNC_DELETE : QueryEndpoint.SQL_ASYNC_GET;
        return new Match(byId, Optional.empty(), idAt(segments, 2));
    }

    private static Optional<String> idAt(List<String> segments, int i) {
        return i < segments.size() ? Optional.of(segments.get(i)) : Optional.empty();
    }

    private record Match(QueryEndpoint endpoint, Optional<String> indexSegment, Optional<String> id) {
        static Match notAQuery() {
            return new Match(QueryEndpoint.NOT_A_QUERY, Optional.empty(), Optional.empty());
        }
    }
}
