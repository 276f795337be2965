package io.sketchgate.esapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sketchgate.caches.Caches;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;

/**
 * Resolves the local part of {@link IndexTargets} to concrete indices, aliases and data streams with
 * {@code GET /_resolve/index/<expr>?expand_wildcards=all&ignore_unavailable=true&allow_no_indices=true}.
 *
 * <ul>
 *   <li>{@code expand_wildcards=all} gives a superset of what any search can touch whatever its own
 *       {@code expand_wildcards}; closed indices are reported (attribute {@code closed}) though ES refuses to
 *       search them. Missing names resolve to nothing: ES fails such a search with 404 itself.
 *   <li>The whole local expression goes in one call, in order, so exclusions apply as in the search.
 *       Date math is already evaluated by the classifier (with its clock), so the cache key changes at midnight.
 *   <li>Remote ({@code cluster:index}) items are not sent: the local cluster cannot resolve them.
 *   <li>Results are cached (Caffeine, {@code ttl}, {@code maxEntries}); failures are not cached. The key is the
 *       local items themselves (the request's own immutable list), so a hit builds no string; the URL is encoded
 *       on a miss only.
 *   <li>Non-blocking: the REST client's async API completes the future on its I/O thread; an event loop
 *       must not {@code join()} it but continue in a callback.
 * </ul>
 */
public final class IndexResolver {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    /** {@code *}: what a request that names no index asks for. */
    private static final List<IndexExpression> EVERY_INDEX =
            List.of(new IndexExpression("*", java.util.Optional.empty(), "*", false));

    private final AsyncCache<List<IndexExpression>, ResolvedIndices> cache;

    public IndexResolver(RestClient client, Duration ttl, long maxEntries, Ticker ticker) {
        this.client = client;
        this.cache = Caches.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maxEntries)
                .ticker(ticker)
                .recordStats()
                .buildAsync();
    }

    public IndexResolver(RestClient client, Duration ttl, long maxEntries) {
        this(client, ttl, maxEntries, Ticker.systemTicker());
    }

    /** The cache of resolved expressions, for hit-ratio metrics. */
    public Cache<?, ?> cache() {
        return cache.synchronous();
    }

    /** Nothing to resolve (body, continuation, none, or remote only) completes at once with no indices. */
    public CompletableFuture<ResolvedIndices> resolve(IndexTargets targets) {
        List<IndexExpression> key = cacheKey(targets);
        if (key.isEmpty()) {
            return CompletableFuture.completedFuture(ResolvedIndices.EMPTY);
        }
        return cache.get(key, (items, executor) -> fetch(expression(items), executor));
    }

    /** The items one {@code _resolve/index} call is made for; empty when there is nothing to resolve. */
    static List<IndexExpression> cacheKey(IndexTargets targets) {
        return switch (targets.scope()) {
            case ALL -> EVERY_INDEX;
            case LISTED -> targets.local();
            default -> List.of();
        };
    }

    static String expression(List<IndexExpression> items) {
        return items.stream().map(IndexResolver::encode).collect(Collectors.joining(","));
    }

    private CompletableFuture<ResolvedIndices> fetch(String encodedExpression, Executor executor) {
        CompletableFuture<ResolvedIndices> result = new CompletableFuture<>();
        Request request = new Request("GET", "/_resolve/index/" + encodedExpression);
        request.addParameter("expand_wildcards", "all");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("allow_no_indices", "true");
        client.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                try (InputStream in = response.getEntity().getContent()) {
                    result.complete(parse(JSON.readTree(in)));
                } catch (IOException | RuntimeException e) {
                    result.completeExceptionally(new IndexResolutionException(
                            "cannot read _resolve/index answer for [" + encodedExpression + "]: " + e.getMessage(),
                            true,
                            e));
                }
            }

            @Override
            public void onFailure(Exception e) {
                boolean unavailable = !(e instanceof ResponseException re)
                        || re.getResponse().getStatusLine().getStatusCode() >= 500;
                result.completeExceptionally(new IndexResolutionException(
                        "cannot resolve indices [" + encodedExpression + "]: " + e.getMessage(), unavailable, e));
            }
        });
        return result;
    }

    static ResolvedIndices parse(JsonNode json) {
        List<ResolvedIndices.Index> indices = new ArrayList<>();
        for (JsonNode index : json.path("indices")) {
            indices.add(new ResolvedIndices.Index(
                    index.path("name").asText(),
                    strings(index.path("aliases")),
                    strings(index.path("attributes")),
                    index.hasNonNull("data_stream") ? index.get("data_stream").asText() : null));
        }
        Map<String, List<String>> aliases = new LinkedHashMap<>();
        for (JsonNode alias : json.path("aliases")) {
            aliases.put(alias.path("name").asText(), strings(alias.path("indices")));
        }
        Map<String, ResolvedIndices.DataStream> streams = new LinkedHashMap<>();
        for (JsonNode stream : json.path("data_streams")) {
            String name = stream.path("name").asText();
            streams.put(
                    name,
                    new ResolvedIndices.DataStream(
                            name,
                            strings(stream.path("backing_indices")),
                            stream.path("timestamp_field").asText(null)));
        }
        return new ResolvedIndices(indices, aliases, streams);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Percent-encodes one item for a path segment; {@code *} and {@code -} stay readable. */
    static String encode(IndexExpression expression) {
        StringBuilder out = new StringBuilder();
        for (byte b : expression.canonical().getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '*'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }
}
