package io.sketchgate.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.IndexExpressions;
import io.sketchgate.esapi.IndexResolver;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.JsonResponses;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import io.sketchgate.rewrite.KibanaRewriter;
import io.sketchgate.rewrite.ResponseDiff;
import io.sketchgate.rewrite.ResponseMediaType;
import io.sketchgate.rewrite.RewriteMatcher;
import io.sketchgate.rewrite.RewritePlan;
import io.sketchgate.transport.RequestPolicy.PolicyRequest;
import io.sketchgate.uniques.UvQueries;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where policy meets the Kibana rewrite ({@code io.sketchgate.rewrite}): after a search is allowed (quotas taken),
 * a search over exactly one definition's source that {@link RewriteMatcher} proves to be a unique-count question
 * is answered by {@link KibanaRewriter} ({@code kibana_rewrite: on}) or answered and compared with Elasticsearch's
 * response ({@code shadow}); everything else keeps its permission unchanged. Also serves the async-search ids
 * Sketchgate handed out. Without an engine ({@link #NONE}) nothing is ever rewritten.
 */
final class UniqueCountRewrites {
    private static final Logger LOG = LoggerFactory.getLogger(UniqueCountRewrites.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "content-type";

    static final UniqueCountRewrites NONE = new UniqueCountRewrites(List::of, null, null, Clock.systemUTC());

    /** The definitions in force, read per request: run-time changes apply to the next search. */
    private final Supplier<List<UniqueCountDefinition>> definitions;

    private final IndexResolver indexResolver;
    private final KibanaRewriter rewriter;
    private final Clock clock;

    private UniqueCountRewrites(
            Supplier<List<UniqueCountDefinition>> definitions,
            UvQueries engine,
            IndexResolver indexResolver,
            Clock clock) {
        this.definitions = definitions;
        this.indexResolver = indexResolver;
        this.rewriter = engine == null ? null : new KibanaRewriter(engine, clock);
        this.clock = clock;
    }

    /**
     * Rewrites for the definitions in force with {@code kibana_rewrite} on or shadow; {@link #NONE} without an
     * engine.
     */
    static UniqueCountRewrites create(
            Supplier<List<UniqueCountDefinition>> definitions,
            Optional<UvQueries> engine,
            IndexResolver indexResolver,
            Clock clock) {
        if (engine.isEmpty()) {
            return NONE;
        }
        return new UniqueCountRewrites(definitions, engine.get(), indexResolver, clock);
    }

    /** The definitions in force whose searches are rewritten or shadowed. */
    private List<UniqueCountDefinition> rewritten() {
        return definitions.get().stream()
                .filter(d -> d.kibanaRewrite() != KibanaRewriteMode.OFF)
                .toList();
    }

    /** Asked for every allowed search: looks at the definitions without building a list of them. */
    boolean enabled() {
        if (rewriter == null) {
            return false;
        }
        for (UniqueCountDefinition definition : definitions.get()) {
            if (definition.kibanaRewrite() != KibanaRewriteMode.OFF) {
                return true;
            }
        }
        return false;
    }

    /** {@code GET}/{@code DELETE} of an async search Sketchgate answered: served here, never sent to ES. */
    Optional<Verdict> serveContinuation(ClassifiedRequest classified, String user) {
        if (rewriter == null
                || classified.pathId().isEmpty()
                || !rewriter.asyncSearches().owns(classified.pathId().get())) {
            return Optional.empty();
        }
        String id = classified.pathId().get();
        var store = rewriter.asyncSearches();
        Optional<ObjectNode> body = switch (classified.endpoint()) {
            case ASYNC_SEARCH_GET ->
                store.get(
                        id,
                        user,
                        Optional.ofNullable(classified.parameters().get("keep_alive"))
                                .map(UniqueCountRewrites::keepAlive));
            case ASYNC_SEARCH_STATUS -> store.status(id, user);
            case ASYNC_SEARCH_DELETE ->
                store.delete(id, user)
                        ? Optional.of(JSON.createObjectNode().put("acknowledged", true))
                        : Optional.empty();
            default -> Optional.empty();
        };
        if (body.isEmpty()) {
            ProxyException notFound = ErrorType.NOT_FOUND.exception(id);
            return Optional.of(
                    new Verdict.Deny(user, "rejected: async search " + id + " not found", notFound, Map.of()));
        }
        return Optional.of(new Verdict.Answer(
                user,
                "answered " + classified.endpoint() + " from unique counts",
                200,
                KibanaRewriter.bytes(body.get()),
                Map.of(KibanaRewriter.SOURCE_HEADER, "unique-counts")));
    }

    private static Duration keepAlive(String text) {
        try {
            return io.sketchgate.config.Durations.parse(text);
        } catch (RuntimeException e) {
            return Duration.ofMinutes(1);
        }
    }

    /** The verdict for an allowed search: the rewrite's answer, a shadowed permission, or {@code allow} as it is. */
    CompletableFuture<Verdict> consider(ParsedRequest parsed, PolicyRequest request, Verdict.Allow allow) {
        ClassifiedRequest classified = parsed.classified();
        boolean listed = classified.targets().scope() == IndexTargets.Scope.LISTED
                || classified.endpoint() == QueryEndpoint.MSEARCH; // each line names its own indices
        if (!enabled() || allow.body().isPresent() || request.body().isEmpty() || !listed) {
            return CompletableFuture.completedFuture(
                    allow); // a clamped or partly refused search goes as policy made it
        }
        try {
            return switch (classified.endpoint()) {
                case SEARCH -> single(parsed, request, allow, RewriteMatcher.Endpoint.SEARCH);
                case ASYNC_SEARCH_SUBMIT -> single(parsed, request, allow, RewriteMatcher.Endpoint.ASYNC_SUBMIT);
                case MSEARCH ->
                    allow.responseRewrite().isPresent()
                            ? CompletableFuture.completedFuture(allow)
                            : multi(parsed, request, allow);
                default -> CompletableFuture.completedFuture(allow);
            };
        } catch (RuntimeException e) {
            LOG.warn("kibana_rewrite: not rewritten after an error reading the request: {}", e.toString());
            return CompletableFuture.completedFuture(allow);
        }
    }

    private CompletableFuture<Verdict> single(
            ParsedRequest parsed, PolicyRequest request, Verdict.Allow allow, RewriteMatcher.Endpoint endpoint) {
        ClassifiedRequest classified = parsed.classified();
        Optional<JsonNode> parsedBody = parsed.jsonIfReadable(); // the policy's parse, not another
        if (parsedBody.isEmpty()) {
            return CompletableFuture.completedFuture(allow);
        }
        JsonNode body = parsedBody.get();
        Instant now = parsed.now(); // date math in the search's time bounds: the policy's "now"
        Optional<String> mediaType = mediaType(request);
        return definitionOf(classified.targets()).thenCompose(definition -> {
            if (definition.isEmpty()) {
                return CompletableFuture.completedFuture(allow);
            }
            if (mediaType.isEmpty()) {
                String accept = request.headers().get("Accept");
                return CompletableFuture.completedFuture(
                        withDecision(allow, () -> ", not rewritten: Accept " + accept));
            }
            RewriteMatcher.Decision decision =
                    RewriteMatcher.match(definition.get(), endpoint, classified.parameters(), null, body, now);
            if (decision instanceof RewriteMatcher.Pass pass) {
                return CompletableFuture.completedFuture(
                        withDecision(allow, () -> ", not rewritten: " + pass.reason()));
            }
            RewritePlan plan = ((RewriteMatcher.Rewrite) decision).plan();
            CompletableFuture<KibanaRewriter.Answer> answer = rewriter.answer(plan);
            if (definition.get().kibanaRewrite() == KibanaRewriteMode.SHADOW) {
                return CompletableFuture.completedFuture(shadowed(allow, plan, answer));
            }
            return answer.handle((done, failure) -> {
                if (failure != null) {
                    LOG.warn(
                            "kibana_rewrite {}: the unique-count answer failed, Elasticsearch answers: {}",
                            plan.definition().name(),
                            failure.toString());
                    return allow;
                }
                allow.onFinished().accept(new Verdict.Outcome(200, OptionalLong.empty())); // no Elasticsearch time
                ObjectNode response = rewriter.responseBody(plan, done, allow.user());
                return answered(allow, plan.definition(), done, KibanaRewriter.bytes(response), mediaType.get());
            });
        });
    }

    /** The content type Elasticsearch would answer this request with; empty when Sketchgate cannot write it. */
    private static Optional<String> mediaType(PolicyRequest request) {
        return ResponseMediaType.of(
                request.headers().get("Accept"), request.headers().get("Content-Type"));
    }

    private static Verdict answered(
            Verdict.Allow allow,
            UniqueCountDefinition definition,
            KibanaRewriter.Answer answer,
            byte[] json,
            String mediaType) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CONTENT_TYPE, mediaType);
        headers.put(JsonResponses.ELASTIC_PRODUCT_HEADER, "Elasticsearch");
        headers.putAll(answer.headers());
        return new Verdict.Answer(
                allow.user(),
                allow.decision() + ", rewritten from unique counts " + definition.name(),
                200,
                json,
                headers);
    }

    /** Forwarded as usual; the rewrite's answer is compared with Elasticsearch's when both are there. */
    private Verdict.Allow shadowed(
            Verdict.Allow allow, RewritePlan plan, CompletableFuture<KibanaRewriter.Answer> answer) {
        long startNanos = System.nanoTime();
        UnaryOperator<byte[]> compare = esBody -> {
            long esMillis = (System.nanoTime() - startNanos) / 1_000_000;
            answer.whenComplete((done, failure) -> logShadow(plan, esBody, done, failure, esMillis));
            return esBody;
        };
        UnaryOperator<byte[]> rewrite = allow.responseRewrite()
                .map(existing -> (UnaryOperator<byte[]>) b -> compare.apply(existing.apply(b)))
                .orElse(compare);
        return new Verdict.Allow(
                allow.user(),
                allow.decisionText()
                        .then(() -> ", shadowed by unique counts "
                                + plan.definition().name()),
                allow.body(),
                allow.responseHeaders(),
                allow.executionLimit(),
                Optional.of(rewrite),
                allow.firstBodyChunk(),
                allow.onFinished(),
                Optional.empty(),
                Optional.empty());
    }

    private static void logShadow(
            RewritePlan plan, byte[] esBody, KibanaRewriter.Answer answer, Throwable failure, long esMillis) {
        if (failure != null) {
            LOG.warn(
                    "kibana_rewrite shadow {}: the unique-count answer failed: {}",
                    plan.definition().name(),
                    failure.toString());
            return;
        }
        try {
            JsonNode es = JSON.readTree(esBody);
            JsonNode esSearch = es.has("response") ? es.get("response") : es; // an async envelope
            ResponseDiff diff = ResponseDiff.compare(esSearch, answer.search());
            LOG.info(
                    "kibana_rewrite shadow {}: elasticsearch took {} ms{}, unique counts {} ms; {}; bounds {}",
                    plan.definition().name(),
                    esSearch.path("took").asLong(),
                    esMillis < 0 ? "" : " (round trip " + esMillis + " ms)",
                    answer.search().path("took").asLong(),
                    diff.summary(),
                    answer.bounds());
        } catch (IOException e) {
            LOG.info(
                    "kibana_rewrite shadow {}: Elasticsearch's response is not JSON",
                    plan.definition().name());
        }
    }

    /**
     * {@code _msearch}: lines over a rewritten definition are answered here, the others go to Elasticsearch in one
     * request, and the responses are put back in order. Shadowed lines go to Elasticsearch and are compared.
     */
    private CompletableFuture<Verdict> multi(ParsedRequest parsed, PolicyRequest request, Verdict.Allow allow) {
        Optional<String> mediaType = mediaType(request);
        if (mediaType.isEmpty()) {
            return CompletableFuture.completedFuture(allow);
        }
        ClassifiedRequest classified = parsed.classified();
        Instant now = parsed.now();
        MultiSearchBody lines = parsed.lines(); // the policy's parse, not another
        List<CompletableFuture<Optional<LinePlan>>> decided = new ArrayList<>();
        for (MultiSearchBody.Item item : lines.items()) {
            if (item.targets().scope() != IndexTargets.Scope.LISTED) {
                decided.add(CompletableFuture.completedFuture(Optional.empty()));
                continue;
            }
            decided.add(definitionOf(item.targets())
                    .thenApply(definition -> definition.flatMap(d -> {
                        RewriteMatcher.Decision decision = RewriteMatcher.match(
                                d,
                                RewriteMatcher.Endpoint.MSEARCH_LINE,
                                classified.parameters(),
                                item.header(),
                                item.body(),
                                now);
                        return decision instanceof RewriteMatcher.Rewrite r
                                ? Optional.of(new LinePlan(
                                        item.number(),
                                        r.plan(),
                                        rewriter.answer(r.plan()),
                                        d.kibanaRewrite() == KibanaRewriteMode.ON))
                                : Optional.empty();
                    })));
        }
        return CompletableFuture.allOf(decided.toArray(CompletableFuture[]::new))
                .thenCompose(done -> {
                    Map<Integer, LinePlan> plans = new LinkedHashMap<>();
                    decided.forEach(f -> f.join().ifPresent(p -> plans.put(p.slot(), p)));
                    if (plans.isEmpty()) {
                        return CompletableFuture.completedFuture(allow);
                    }
                    List<CompletableFuture<KibanaRewriter.Answer>> answers =
                            plans.values().stream().map(LinePlan::answer).toList();
                    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                            .handle((all, failure) -> {
                                if (failure != null) {
                                    LOG.warn(
                                            "kibana_rewrite: an _msearch unique-count answer failed, Elasticsearch answers all: {}",
                                            failure.toString());
                                    return allow;
                                }
                                return multiVerdict(allow, lines, plans, mediaType.get());
                            });
                });
    }

    private record LinePlan(int slot, RewritePlan plan, CompletableFuture<KibanaRewriter.Answer> answer, boolean on) {}

    private Verdict multiVerdict(
            Verdict.Allow allow, MultiSearchBody lines, Map<Integer, LinePlan> plans, String mediaType) {
        int total = lines.items().size();
        Map<Integer, ObjectNode> answered = new LinkedHashMap<>();
        List<String> bounds = new ArrayList<>();
        for (LinePlan line : plans.values()) {
            if (line.on()) {
                ObjectNode item = line.answer().join().search().deepCopy();
                item.put("status", 200);
                answered.put(line.slot(), item);
                bounds.add(line.answer().join().bounds());
            }
        }
        String summary = ", " + answered.size() + " of " + total + " searches rewritten from unique counts";
        if (answered.size() == total) {
            allow.onFinished().accept(new Verdict.Outcome(200, OptionalLong.empty()));
            ObjectNode response = JSON.createObjectNode();
            response.put(
                    "took",
                    answered.values().stream()
                            .mapToLong(n -> n.path("took").asLong())
                            .max()
                            .orElse(0));
            ArrayNode responses = response.putArray("responses");
            answered.values().forEach(responses::add);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(CONTENT_TYPE, mediaType);
            headers.put(JsonResponses.ELASTIC_PRODUCT_HEADER, "Elasticsearch");
            headers.put(KibanaRewriter.SOURCE_HEADER, "unique-counts");
            headers.put(KibanaRewriter.BOUNDS_HEADER, String.join(" | ", bounds));
            return new Verdict.Answer(
                    allow.user(), allow.decision() + summary, 200, KibanaRewriter.bytes(response), headers);
        }
        List<Integer> forwarded = new ArrayList<>();
        for (int slot = 0; slot < total; slot++) {
            if (!answered.containsKey(slot)) {
                forwarded.add(slot);
            }
        }
        Map<Integer, LinePlan> shadowed = new LinkedHashMap<>();
        plans.values().stream().filter(p -> !p.on()).forEach(p -> shadowed.put(p.slot(), p));
        UnaryOperator<byte[]> merge = esBody -> mergeMulti(esBody, answered, forwarded, shadowed, total);
        byte[] body = answered.isEmpty() ? null : lines.rebuild(item -> !answered.containsKey(item.number()));
        Map<String, String> headers = new LinkedHashMap<>(allow.responseHeaders());
        if (!answered.isEmpty()) {
            headers.put(KibanaRewriter.SOURCE_HEADER, "unique-counts; searches " + answered.keySet());
            headers.put(KibanaRewriter.BOUNDS_HEADER, String.join(" | ", bounds));
        }
        return new Verdict.Allow(
                allow.user(),
                allow.decisionText()
                        .then(() -> summary + (shadowed.isEmpty() ? "" : ", " + shadowed.size() + " shadowed")),
                Optional.ofNullable(body),
                headers,
                allow.executionLimit(),
                Optional.of(merge),
                allow.firstBodyChunk(),
                allow.onFinished(),
                Optional.empty(),
                Optional.empty());
    }

    /** Elasticsearch's {@code responses} for the forwarded lines, with the rewritten ones in their slots. */
    private static byte[] mergeMulti(
            byte[] esBody,
            Map<Integer, ObjectNode> answered,
            List<Integer> forwarded,
            Map<Integer, LinePlan> shadowed,
            int total) {
        try {
            JsonNode root = JSON.readTree(esBody);
            JsonNode responses = root.path("responses");
            if (!(root instanceof ObjectNode object) || !responses.isArray() || responses.size() != forwarded.size()) {
                return esBody; // not the answer to what was sent: pass it on
            }
            for (int i = 0; i < forwarded.size(); i++) {
                LinePlan shadow = shadowed.get(forwarded.get(i));
                if (shadow != null) {
                    byte[] line = KibanaRewriter.bytes(responses.get(i));
                    shadow.answer().whenComplete((done, failure) -> logShadow(shadow.plan(), line, done, failure, -1));
                }
            }
            if (answered.isEmpty()) {
                return esBody;
            }
            ArrayNode merged = JSON.createArrayNode();
            int next = 0;
            for (int slot = 0; slot < total; slot++) {
                merged.add(answered.containsKey(slot) ? answered.get(slot) : responses.get(next++));
            }
            object.set("responses", merged);
            return JSON.writeValueAsBytes(object);
        } catch (IOException e) {
            return esBody;
        }
    }

    /** The definition whose source is exactly the indices these targets resolve to, if any. */
    private CompletableFuture<Optional<UniqueCountDefinition>> definitionOf(IndexTargets targets) {
        return indexResolver
                .resolve(targets)
                .thenCompose(resolved -> {
                    Set<String> indices = resolved.concreteIndices();
                    if (indices.isEmpty()) {
                        return CompletableFuture.completedFuture(Optional.<UniqueCountDefinition>empty());
                    }
                    CompletableFuture<Optional<UniqueCountDefinition>> found =
                            CompletableFuture.completedFuture(Optional.empty());
                    for (UniqueCountDefinition definition : rewritten()) {
                        found = found.thenCompose(previous -> previous.isPresent()
                                ? CompletableFuture.completedFuture(previous)
                                : indexResolver
                                        .resolve(IndexExpressions.parse(definition.source(), Instant.now(clock)))
                                        .thenApply(source ->
                                                source.concreteIndices().equals(indices)
                                                        ? Optional.of(definition)
                                                        : Optional.<UniqueCountDefinition>empty()));
                    }
                    return found;
                })
                .exceptionally(failure -> Optional.empty());
    }

    /** The same permission without its URI and prefix rewrites, its decision followed by {@code more}. */
    private static Verdict.Allow withDecision(Verdict.Allow allow, Supplier<String> more) {
        return new Verdict.Allow(
                allow.user(),
                allow.decisionText().then(more),
                allow.body(),
                allow.responseHeaders(),
                allow.executionLimit(),
                allow.responseRewrite(),
                allow.firstBodyChunk(),
                allow.onFinished(),
                Optional.empty(),
                Optional.empty());
    }
}
