package io.sketchgate.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.ContinuationKind;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.esapi.SearchOutline;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Searches over a point in time ({@code "pit": {"id": ...}} in the body of {@code _search}, {@code _async_search}
 * or an {@code _msearch} line). Such a search names no index — Elasticsearch refuses one beside a PIT — so it is
 * bound to the PIT: only the user who opened it may search it, and the search is governed by the indices the PIT was
 * opened on (recorded by {@link Ownership} from the {@code _pit} request), so its time range and quotas are checked
 * as if it named them.
 *
 * <p>Another user's PIT, and an id Sketchgate did not hand out, is answered as Elasticsearch answers a PIT whose
 * search context is gone: 404, {@code search_context_missing_exception}. A PIT of the user's own that this instance
 * did not see opened (before a restart, another instance) keeps the request's own targets — every index for
 * {@code /_search} — the strictest reading.
 */
public final class PointInTimeSearches {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PIT_KEY = "\"pit\"".getBytes(StandardCharsets.US_ASCII);

    /**
     * @param refusal     present when the request searches another user's PIT
     * @param targets     the indices of the PIT a single search refers to, if Sketchgate saw it opened
     * @param lineTargets for {@code _msearch}: each line's indices, those of its PIT when it searches one
     * @param searchesPit whether any part of the request searches a PIT
     */
    public record Binding(
            Optional<ProxyException> refusal,
            Optional<IndexTargets> targets,
            Function<MultiSearchBody.Item, IndexTargets> lineTargets,
            boolean searchesPit) {
        public static final Binding NONE =
                new Binding(Optional.empty(), Optional.empty(), MultiSearchBody.Item::targets, false);
    }

    private final Ownership ownership;

    public PointInTimeSearches(Ownership ownership) {
        this.ownership = ownership;
    }

    /** How a request's PIT (if any) binds it; cheap for the common request without one. */
    public Binding bind(ParsedRequest parsed, String user) {
        ClassifiedRequest request = parsed.classified();
        QueryEndpoint endpoint = request.endpoint();
        if (endpoint != QueryEndpoint.SEARCH
                && endpoint != QueryEndpoint.ASYNC_SEARCH_SUBMIT
                && endpoint != QueryEndpoint.MSEARCH) {
            return Binding.NONE;
        }
        Optional<byte[]> bytes = parsed.body()
                .filter(b -> b.length > 0)
                .or(() -> request.urlBody().map(u -> u.content().getBytes(StandardCharsets.UTF_8)));
        if (bytes.isEmpty() || !contains(bytes.get(), PIT_KEY)) {
            return Binding.NONE;
        }
        if (endpoint == QueryEndpoint.MSEARCH) {
            return bindLines(parsed, user);
        }
        Optional<String> id;
        Optional<SearchOutline> outline = parsed.outline(); // the streaming pass, shared with the time check
        if (outline.isPresent()) {
            id = outline.get().pitId().filter(text -> !text.isEmpty());
        } else {
            Optional<JsonNode> parsedJson = parsed.jsonIfReadable();
            if (parsedJson.isEmpty()) {
                return Binding.NONE; // refused with 400 when policy reads the body
            }
            id = pitId(parsedJson.get());
        }
        if (id.isEmpty()) {
            return Binding.NONE;
        }
        ContinuationRegistry.Lookup<String> lookup = ownership.lookup(ContinuationKind.PIT, id.get(), user);
        if (lookup instanceof ContinuationRegistry.Lookup.Found<String> found) {
            return new Binding(
                    Optional.empty(), Optional.of(found.continuation().targets()), MultiSearchBody.Item::targets, true);
        }
        if (isOtherOwners(lookup)) {
            return new Binding(Optional.of(missing(id.get())), Optional.empty(), MultiSearchBody.Item::targets, true);
        }
        return new Binding(Optional.empty(), Optional.empty(), MultiSearchBody.Item::targets, true);
    }

    /**
     * An {@code _msearch} with a line on another user's PIT is refused whole: a client holding someone else's id is
     * not one whose other searches need to run.
     */
    private Binding bindLines(ParsedRequest parsed, String user) {
        MultiSearchBody lines;
        try {
            lines = parsed.lines();
        } catch (RuntimeException malformed) {
            return Binding.NONE; // refused with 400 when policy reads the lines
        }
        boolean any = false;
        for (MultiSearchBody.Item item : lines.items()) {
            Optional<String> id = pitId(item.body());
            if (id.isPresent()) {
                any = true;
                if (isOtherOwners(ownership.lookup(ContinuationKind.PIT, id.get(), user))) {
                    return new Binding(
                            Optional.of(missing(id.get())), Optional.empty(), MultiSearchBody.Item::targets, true);
                }
            }
        }
        if (!any) {
            return Binding.NONE;
        }
        return new Binding(
                Optional.empty(),
                Optional.empty(),
                item -> pitId(item.body())
                        .flatMap(id -> ownership.lookup(ContinuationKind.PIT, id, user)
                                        instanceof ContinuationRegistry.Lookup.Found<String> f
                                ? Optional.of(f.continuation().targets())
                                : Optional.<IndexTargets>empty())
                        .orElse(item.targets()),
                true);
    }

    /** Another user's PIT, or one Sketchgate did not hand out (a raw or forged id). */
    private static boolean isOtherOwners(ContinuationRegistry.Lookup<String> lookup) {
        return lookup instanceof ContinuationRegistry.Lookup.NotFound<String> missing
                && missing.reason() != ContinuationRegistry.Lookup.Reason.NOT_RECORDED;
    }

    private static Optional<String> pitId(JsonNode search) {
        JsonNode id = search == null ? null : search.path("pit").get("id");
        return id != null && id.isTextual() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
    }

    /** What Elasticsearch answers for a PIT whose search context no longer exists. */
    static ProxyException missing(String id) {
        return ErrorType.CONTINUATION_NOT_FOUND.exception("No search context found for id [" + id + "]");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
