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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Who was handed each scroll, point-in-time and async-search id. Without Elasticsearch security, Elasticsearch
 * checks no owner, so anyone holding an id could read another user's results. Sketchgate wraps every id a response
 * hands out with its owner and an HMAC ({@link ContinuationTokens}) and unwraps it on the way back: an id that is
 * another user's, or that Sketchgate did not hand out (a raw Elasticsearch id, a forged or altered one), is answered
 * 404 as Elasticsearch answers a missing id. The HMAC needs no shared state, so this holds across restarts and
 * between instances that share {@code identity.continuation_secret}.
 *
 * <p>A registry of the ids this instance saw handed out keeps what they stand for (the indices a PIT was opened
 * on); it is a cache, not the proof of ownership.
 */
public final class Ownership {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final Set<String> ID_FIELDS = Set.of("id", "_scroll_id", "pit_id", "cursor");
    private static final Duration DEFAULT_KEEP_ALIVE = Duration.ofDays(5);

    private final ContinuationRegistry<String> registry = new ContinuationRegistry<>(1_000_000, Duration.ofDays(5));
    private final ContinuationTokens tokens;

    public Ownership(ContinuationTokens tokens) {
        this.tokens = tokens;
    }

    /** A refusal when an id the request refers to was not handed out to {@code user} by Sketchgate. */
    public Optional<ProxyException> check(ClassifiedRequest request, JsonNode body, String user) {
        for (ContinuationIds.Created id : ContinuationIds.referenced(request, body)) {
            if (id.kind() == ContinuationKind.SCROLL && id.id().equals("_all")) {
                return Optional.of(ErrorType.FORBIDDEN.exception(
                        "Clearing every scroll at once is not allowed through Sketchgate: it would end other users'"
                                + " scrolls. Clear your own scroll ids instead."));
            }
            ContinuationRegistry.Lookup<String> lookup = lookup(id.kind(), id.id(), user);
            if (!(lookup instanceof ContinuationRegistry.Lookup.Found<String>) && !isNotRecorded(lookup)) {
                return Optional.of(missing(id));
            }
        }
        return Optional.empty();
    }

    /** What Elasticsearch answers for an id it does not know: 404, naming the id. */
    static ProxyException missing(ContinuationIds.Created id) {
        if (id.kind() == ContinuationKind.SCROLL || id.kind() == ContinuationKind.PIT) {
            return PointInTimeSearches.missing(id.id());
        }
        return ErrorType.NOT_FOUND.exception(id.id());
    }

    /**
     * Who owns a token, and what its creating request named: {@code Found} when it was handed out to {@code user}
     * through this instance, {@code NotFound(NOT_RECORDED)} when it was handed out to {@code user} elsewhere (another
     * instance, before a restart), {@code NotFound(OTHER_OWNER)} or {@code NotFound(UNKNOWN)} otherwise.
     */
    ContinuationRegistry.Lookup<String> lookup(ContinuationKind kind, String token, String user) {
        Optional<ContinuationTokens.Unwrapped> unwrapped = tokens.unwrap(token);
        if (unwrapped.isEmpty()) {
            return new ContinuationRegistry.Lookup.NotFound<>(ContinuationRegistry.Lookup.Reason.UNKNOWN);
        }
        if (!unwrapped.get().owner().equals(user)) {
            return new ContinuationRegistry.Lookup.NotFound<>(ContinuationRegistry.Lookup.Reason.OTHER_OWNER);
        }
        ContinuationRegistry.Lookup<String> recorded =
                registry.lookup(kind, unwrapped.get().id(), user);
        return recorded instanceof ContinuationRegistry.Lookup.Found<String>
                ? recorded
                : new ContinuationRegistry.Lookup.NotFound<>(ContinuationRegistry.Lookup.Reason.NOT_RECORDED);
    }

    static boolean isNotRecorded(ContinuationRegistry.Lookup<String> lookup) {
        return lookup instanceof ContinuationRegistry.Lookup.NotFound<String> missing
                && missing.reason() == ContinuationRegistry.Lookup.Reason.NOT_RECORDED;
    }

    /**
     * The permission with the ids Sketchgate handed out to {@code user} unwrapped in what is forwarded (the URI, the
     * body policy decided on), and with the ids the response hands out wrapped. Refusals of ids that are not the
     * user's were decided before ({@link #check}, {@link PointInTimeSearches}); any left here are forwarded as they
     * are, and Elasticsearch does not know them.
     *
     * @param targets     what the ids stand for: the request's own indices, or those of the point in time it searches
     * @param searchesPit the request searches a point in time, whose response may hand out a renewed {@code pit_id}
     */
    public Verdict.Allow observe(
            ClassifiedRequest request,
            String uri,
            Optional<byte[]> requestBody,
            IndexTargets targets,
            boolean searchesPit,
            String user,
            Verdict.Allow allow) {
        String unwrappedUri = tokens.unwrapAll(uri, (owner, id) -> owner.equals(user));
        Optional<byte[]> sent = allow.body().or(() -> requestBody);
        Optional<byte[]> unwrappedBody = sent.filter(Ownership::mayHoldToken).flatMap(bytes -> {
            String text = new String(bytes, StandardCharsets.ISO_8859_1); // one char per byte, tokens are ASCII
            String unwrapped = tokens.unwrapAll(text, (owner, id) -> owner.equals(user));
            return unwrapped.equals(text)
                    ? Optional.<byte[]>empty()
                    : Optional.of(unwrapped.getBytes(StandardCharsets.ISO_8859_1));
        });
        Verdict.Allow forwarded = allow.with(
                unwrappedUri.equals(uri) ? allow.uri() : Optional.of(unwrappedUri),
                unwrappedBody.isPresent() ? unwrappedBody : allow.body(),
                allow.responsePrefix());
        boolean records = searchesPit || createsIds(request);
        if (!records && !request.endpoint().isContinuation()) {
            return forwarded;
        }
        Duration keepAlive = ContinuationRegistry.keepAlive(
                request.parameters()
                        .getOrDefault("keep_alive", request.parameters().get("scroll")),
                DEFAULT_KEEP_ALIVE);
        QueryEndpoint endpoint = request.endpoint();
        if (endpoint == QueryEndpoint.SQL && allow.responseRewrite().isEmpty()) {
            // SQL writes its cursor after the rows: it is read from the whole page (bounded by fetch_size)
            return new Verdict.Allow(
                    forwarded.user(),
                    forwarded.decisionText(),
                    forwarded.body(),
                    forwarded.responseHeaders(),
                    forwarded.executionLimit(),
                    Optional.of(page -> {
                        if (records) {
                            register(
                                    request,
                                    targets,
                                    user,
                                    allow,
                                    keepAlive,
                                    topLevelIds(Unpooled.wrappedBuffer(page), true));
                        }
                        byte[] wrapped = wrapIds(page, true, true, endpoint, user);
                        return wrapped == null ? page : wrapped;
                    }),
                    forwarded.firstBodyChunk(),
                    forwarded.onFinished(),
                    forwarded.uri(),
                    Optional.empty());
        }
        Verdict.Allow observed = records
                ? forwarded.observingFirstBodyChunk(
                        chunk -> register(request, targets, user, allow, keepAlive, topLevelIds(chunk, false)))
                : forwarded;
        return observed.with(
                observed.uri(),
                observed.body(),
                Optional.of((prefix, complete) -> wrapIds(prefix, complete, false, endpoint, user)));
    }

    /**
     * {@code json} with the top-level ids a response on {@code endpoint} hands out wrapped for {@code owner}; null
     * when the bytes end before the ids could be read and more may come. Reading stops at the first nested value
     * unless {@code wholeObject}: Elasticsearch writes the ids before the hits (SQL writes its cursor last).
     */
    byte[] wrapIds(byte[] json, boolean complete, boolean wholeObject, QueryEndpoint endpoint, String owner) {
        record Field(String name, String value, int start, int end) {}
        java.util.List<Field> fields = new java.util.ArrayList<>(2);
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return json;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == null) {
                    throw new com.fasterxml.jackson.core.io.JsonEOFException(parser, null, "cut after a name");
                }
                if (value == JsonToken.VALUE_STRING && ID_FIELDS.contains(name)) {
                    int start = (int) parser.currentTokenLocation().getByteOffset();
                    String text = parser.getText();
                    int end = (int) parser.currentLocation().getByteOffset();
                    fields.add(new Field(name, text, start, end));
                } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    if (!wholeObject) {
                        break;
                    }
                    parser.skipChildren();
                }
            }
            if (token == null && !complete) {
                return null;
            }
        } catch (IOException cut) {
            if (!complete) {
                return null; // the bytes end inside the ids: wait for more
            }
        }
        ObjectNode read = JSON.createObjectNode();
        fields.forEach(f -> read.put(f.name(), f.value()));
        Set<String> handedOut = new java.util.HashSet<>();
        ContinuationIds.created(endpoint, read).forEach(id -> handedOut.add(id.id()));
        if (handedOut.isEmpty()) {
            return json;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(json.length + 128);
        int at = 0;
        for (Field field : fields) {
            if (handedOut.contains(field.value())) {
                out.write(json, at, field.start() - at);
                byte[] quoted = ("\"" + tokens.wrap(owner, field.value()) + "\"").getBytes(StandardCharsets.UTF_8);
                out.write(quoted, 0, quoted.length);
                at = field.end();
            }
        }
        out.write(json, at, json.length - at);
        return out.toByteArray();
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

    private static final byte[] TOKEN_PREFIX = ContinuationTokens.PREFIX.getBytes(StandardCharsets.US_ASCII);

    /** A scan of the bytes, so that the common body without a token is not copied into a string. */
    private static boolean mayHoldToken(byte[] body) {
        outer:
        for (int i = 0; i <= body.length - TOKEN_PREFIX.length; i++) {
            for (int j = 0; j < TOKEN_PREFIX.length; j++) {
                if (body[i + j] != TOKEN_PREFIX[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static boolean createsIds(ClassifiedRequest request) {
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
