package io.sketchgate.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.ContinuationIds;
import io.sketchgate.esapi.ContinuationKind;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who created each scroll, point-in-time and async-search id. Without Elasticsearch security, Elasticsearch checks
 * no owner, so anyone holding an id could read another user's results: Sketchgate records the owner of every id it
 * sees handed out, and answers 404 (as Elasticsearch does for a missing id) to anyone else. An id Sketchgate never saw
 * (created before a restart, or through another instance) is let through: ids are unguessable, and refusing them
 * would break running scrolls on every restart.
 */
public final class Ownership {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Set<String> ID_FIELDS = Set.of("id", "_scroll_id", "pit_id", "cursor");
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofDays(5);

    private final ContinuationRegistry<String> registry = new ContinuationRegistry<>(1_000_000, Duration.ofDays(5));

    /** A refusal when {@code user} is not the owner of an id the request refers to. */
    public Optional<ProxyException> check(ClassifiedRequest request, JsonNode body, String user) {
        for (ContinuationIds.Created id : ContinuationIds.referenced(request, body)) {
            if (id.kind() == ContinuationKind.SCROLL && id.id().equals("_all")) {
                return Optional.of(ErrorType.FORBIDDEN.exception(
                        "Clearing every scroll at once is not allowed through Sketchgate: it would end other users'"
                                + " scrolls. Clear your own scroll ids instead."));
            }
            if (registry.lookup(id.kind(), id.id(), user)
                            instanceof ContinuationRegistry.Lookup.NotFound<String> missing
                    && missing.reason() == ContinuationRegistry.Lookup.Reason.OTHER_OWNER) {
                return Optional.of(ErrorType.NOT_FOUND.exception("No "
                        + id.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " found for id ["
                        + id.id() + "]."));
            }
        }
        return Optional.empty();
    }

    /** Who owns an id, and what its creating request named. */
    ContinuationRegistry.Lookup<String> lookup(ContinuationKind kind, String id, String user) {
        return registry.lookup(kind, id, user);
    }

    /**
     * The permission, with an observer that records the ids its response hands out.
     *
     * @param targets     what the ids stand for: the request's own indices, or those of the point in time it searches
     * @param searchesPit the request searches a point in time, whose response may hand out a renewed {@code pit_id}
     */
    public Verdict.Allow observe(
            ClassifiedRequest request, IndexTargets targets, boolean searchesPit, String user, Verdict.Allow allow) {
        if (!searchesPit && !createsIds(request)) {
            return allow;
        }
        Duration keepAlive = ContinuationRegistry.keepAlive(
                request.parameters()
                        .getOrDefault("keep_alive", request.parameters().get("scroll")),
                DEFAULT_KEEP_ALIVE);
        if (request.endpoint() == QueryEndpoint.SQL && allow.responseRewrite().isEmpty()) {
            // SQL writes its cursor after the rows: it is read from the whole page (bounded by fetch_size)
            return new Verdict.Allow(
                    allow.user(),
                    allow.decision(),
                    allow.body(),
                    allow.responseHeaders(),
                    allow.executionLimit(),
                    Optional.of(page -> {
                        register(
                                request,
                                targets,
                                user,
                                allow,
                                keepAlive,
                                topLevelIds(Unpooled.wrappedBuffer(page), true));
                        return page;
                    }),
                    allow.firstBodyChunk(),
                    allow.onFinished());
        }
        return allow.observingFirstBodyChunk(
                chunk -> register(request, targets, user, allow, keepAlive, topLevelIds(chunk, false)));
    }

    /** Whether an SQL request continues a cursor (its body is {@code {"cursor": ...}}) instead of running a query. */
    public static boolean continuesSqlCursor(ClassifiedRequest request, java.util.function.Supplier<JsonNode> body) {
        if (request.endpoint() != QueryEndpoint.SQL && request.endpoint() != QueryEndpoint.SQL_TRANSLATE) {
            return false; // other bodies are not parsed twice
        }
        JsonNode json = body.get();
        return json != null
                && json.path("cursor").isTextual()
                && !json.path("cursor").asText().isEmpty();
    }

    private void register(
            ClassifiedRequest request,
            IndexTargets targets,
            String user,
            Verdict.Allow allow,
            Duration keepAlive,
            ObjectNode ids) {
        for (ContinuationIds.Created id : ContinuationIds.created(request.endpoint(), ids)) {
            registry.register(id.kind(), id.id(), user, targets, allow.decision(), keepAlive);
        }
    }

    private static boolean createsIds(ClassifiedRequest request) {
        return switch (request.endpoint()) {
            case SEARCH, SEARCH_TEMPLATE -> request.parameters().containsKey("scroll");
            case ASYNC_SEARCH_SUBMIT, PIT_OPEN, SQL, EQL_SEARCH, ESQL -> true;
            default -> false;
        };
    }

    /**
     * The id fields at the top level of a response, read from its first bytes only: Elasticsearch writes them
     * before the hits. Reading stops at the first nested value or at the end of the bytes.
     */
    static ObjectNode topLevelIds(ByteBuf firstChunk) {
        return topLevelIds(firstChunk, false);
    }

    /** @param wholeObject read past nested values to the end (a whole body), instead of stopping at the first */
    static ObjectNode topLevelIds(ByteBuf firstChunk, boolean wholeObject) {
        ObjectNode ids = JSON.createObjectNode();
        try (JsonParser parser = FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(firstChunk))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return ids;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_STRING && ID_FIELDS.contains(name)) {
                    ids.put(name, parser.getText());
                } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    if (!wholeObject) {
                        break; // the id fields come first; no need to walk the hits
                    }
                    parser.skipChildren();
                }
            }
        } catch (IOException truncatedOrNotJson) {
            // the chunk ended mid-token: keep what was read
        }
        return ids;
    }
}
