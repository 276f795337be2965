package io.sketchgate.pipeline;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.api.ApiCaller;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.IndexExpression;
import io.sketchgate.esapi.IndexResolver;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.esapi.RequestClassifier;
import io.sketchgate.esapi.ResolvedIndices;
import io.sketchgate.http.ErrorShaped;
import io.sketchgate.http.ErrorTranslator;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Verdict;
import io.sketchgate.identity.Identity;
import io.sketchgate.identity.IdentityException;
import io.sketchgate.identity.IdentityResolver;
import io.sketchgate.policy.AsyncSearchDeadlines;
import io.sketchgate.policy.BuiltInRoles;
import io.sketchgate.policy.ContinuationTokens;
import io.sketchgate.policy.DecisionHeader;
import io.sketchgate.policy.DecisionTrace;
import io.sketchgate.policy.EffectiveLimits;
import io.sketchgate.policy.Explanation;
import io.sketchgate.policy.KibanaInternalAccess;
import io.sketchgate.policy.Limit;
import io.sketchgate.policy.LimitResolver;
import io.sketchgate.policy.LimitRules;
import io.sketchgate.policy.Ownership;
import io.sketchgate.policy.Permit;
import io.sketchgate.policy.PointInTimeSearches;
import io.sketchgate.policy.PolicyException;
import io.sketchgate.policy.PolicyMonitor;
import io.sketchgate.policy.Quotas;
import io.sketchgate.policy.Rejection;
import io.sketchgate.policy.TimeFields;
import io.sketchgate.policy.TimeSpanChecks;
import io.sketchgate.transport.RequestPolicy;
import io.sketchgate.uniques.UvQueries;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy of the Elasticsearch-facing listener: who is asking ({@link IdentityResolver}), what the request
 * is and touches ({@link RequestClassifier}), which limits apply ({@link LimitResolver}), whether its time span
 * fits ({@link TimeSpanChecks}), and whether the user's quotas admit it now ({@link Quotas}).
 *
 * <p>Requests that are not queries need an identity only. Queries are decided on their decoded body.
 */
public final class PolicyEngine implements RequestPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyEngine.class);
    /** How long an alias or wildcard keeps its resolved indices: a new index is governed within this time. */
    private static final Duration INDEX_CACHE_TTL = Duration.ofSeconds(30);

    private static final long INDEX_CACHE_ENTRIES = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION); // duplicate keys would change what ES reads

    private final IdentityResolver identities;
    private final boolean identityEnabled;
    private final SketchgateConfig config;
    private final RequestClassifier classifier;
    private final Supplier<LimitRules> rules;
    private final KibanaInternalAccess kibanaInternal;
    private final DecisionHeader decisionHeader;
    private final AsyncSearchDeadlines asyncDeadlines;
    private final TimeSpanChecks timeChecks;
    private final Quotas quotas;
    private final IndexResolver indexResolver;
    private final Ownership ownership;
    private final UniqueCountRewrites rewrites;
    private final PointInTimeSearches pits;
    private final Clock clock;
    private final PolicyMonitor monitor;

    PolicyEngine(
            IdentityResolver identities,
            SketchgateConfig config,
            Supplier<LimitRules> rules,
            Quotas quotas,
            IndexResolver indexResolver,
            AsyncSearchDeadlines asyncDeadlines,
            Clock clock,
            PolicyMonitor monitor,
            Optional<UvQueries> uniqueCounts,
            Supplier<List<UniqueCountDefinition>> definitions) {
        this.asyncDeadlines = asyncDeadlines;
        this.identities = identities;
        this.identityEnabled = identities.enabled();
        this.config = config;
        this.ownership = new Ownership(config.identity()
                .continuationSecret()
                .map(secret -> new ContinuationTokens(secret.value().getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> {
                    if (identityEnabled) {
                        LOG.warn("identity.continuation_secret is not set: scroll, PIT and async ids handed out now"
                                + " are refused after a restart and by other instances");
                    }
                    return ContinuationTokens.ephemeral();
                }));
        this.pits = new PointInTimeSearches(ownership);
        this.classifier = new RequestClassifier(clock);
        this.kibanaInternal = new KibanaInternalAccess(config.identity().kibanaInternal());
        this.decisionHeader =
                new DecisionHeader(identityEnabled, config.identity().decisionHeader());
        this.rules = new BuiltInRoles(rules, kibanaInternal);
        this.timeChecks = new TimeSpanChecks(new TimeFields(config.indexTimeFields()));
        this.quotas = quotas;
        this.indexResolver = indexResolver;
        this.rewrites = UniqueCountRewrites.create(definitions, uniqueCounts, indexResolver, clock);
        this.clock = clock;
        this.monitor = monitor;
        Map<String, Cache<?, ?>> caches = new LinkedHashMap<>(identities.caches());
        caches.put("indices", indexResolver.cache());
        monitor.started(caches, quotas);
    }

    /**
     * The policy a configuration asks for: {@link RequestPolicy#ALLOW_ALL} when it has neither identity nor
     * roles (a plain proxy), else an engine.
     *
     * @param elasticsearch  Sketchgate's own client, for the {@code elasticsearch} identity source
     * @param bcryptExecutor runs password checks of the {@code static} source, never an event loop
     * @param scheduler      for queue timeouts
     */
    public static RequestPolicy create(
            SketchgateConfig config,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            ScheduledExecutorService scheduler,
            Clock clock) {
        return create(
                config,
                fixed(LimitRules.fromFile(config)),
                elasticsearch,
                bcryptExecutor,
                scheduler,
                clock,
                PolicyMonitor.NONE,
                Optional.empty());
    }

    /** As {@link #create(SketchgateConfig, RestClient, Executor, ScheduledExecutorService, Clock)}, reporting to {@code monitor}. */
    public static RequestPolicy create(
            SketchgateConfig config,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            ScheduledExecutorService scheduler,
            Clock clock,
            PolicyMonitor monitor) {
        return create(
                config,
                fixed(LimitRules.fromFile(config)),
                elasticsearch,
                bcryptExecutor,
                scheduler,
                clock,
                monitor,
                Optional.empty());
    }

    /** As {@link #create(SketchgateConfig, RestClient, Executor, ScheduledExecutorService, Clock)}, with the Kibana rewrite. */
    public static RequestPolicy create(
            SketchgateConfig config,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            ScheduledExecutorService scheduler,
            Optional<UvQueries> uniqueCounts,
            Clock clock) {
        return create(
                config,
                fixed(LimitRules.fromFile(config)),
                elasticsearch,
                bcryptExecutor,
                scheduler,
                clock,
                PolicyMonitor.NONE,
                uniqueCounts);
    }

    /**
     * The general form: roles and user overrides read from {@code rules} at each request (run-time changes swap
     * what it returns), decisions reported to {@code monitor}.
     *
     * @param uniqueCounts answers unique-count questions for the Kibana rewrite ({@code kibana_rewrite} of each
     *                     definition); without it nothing is rewritten
     */
    public static RequestPolicy create(
            SketchgateConfig config,
            Supplier<LimitRules> rules,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            ScheduledExecutorService scheduler,
            Clock clock,
            PolicyMonitor monitor,
            Optional<UvQueries> uniqueCounts) {
        return create(
                config,
                rules,
                elasticsearch,
                bcryptExecutor,
                scheduler,
                clock,
                monitor,
                uniqueCounts,
                () -> config.uniqueCounts().definitions());
    }

    /**
     * As the general form, with the unique-count definitions in force read at each search ({@code definitions}),
     * so that definitions changed at run time are rewritten at once. The Kibana rewrite counts only when the
     * file's definitions ask for it or the policy is on anyway (identity or roles, which run-time changes need).
     */
    public static RequestPolicy create(
            SketchgateConfig config,
            Supplier<LimitRules> rules,
            RestClient elasticsearch,
            Executor bcryptExecutor,
            ScheduledExecutorService scheduler,
            Clock clock,
            PolicyMonitor monitor,
            Optional<UvQueries> uniqueCounts,
            Supplier<List<UniqueCountDefinition>> definitions) {
        boolean rewrites = uniqueCounts.isPresent()
                && config.uniqueCounts().definitions().stream()
                        .anyMatch(d -> d.kibanaRewrite() != KibanaRewriteMode.OFF);
        if (!config.identity().enabled() && config.roles().roles().isEmpty() && !rewrites) {
            return RequestPolicy.ALLOW_ALL;
        }
        IdentityResolver identities = config.identity().enabled()
                ? IdentityResolver.create(config.identity(), config.users(), elasticsearch, bcryptExecutor, clock)
                : IdentityResolver.off();
        return new PolicyEngine(
                identities,
                config,
                rules,
                Quotas.create(scheduler),
                new IndexResolver(elasticsearch, INDEX_CACHE_TTL, INDEX_CACHE_ENTRIES),
                new AsyncSearchDeadlines(elasticsearch, scheduler, clock),
                clock,
                monitor,
                uniqueCounts,
                definitions);
    }

    private static Supplier<LimitRules> fixed(LimitRules rules) {
        return () -> rules;
    }

    @Override
    public CompletableFuture<Verdict> evaluate(PolicyRequest request) {
        return decision(request, DecisionTrace.NONE);
    }

    /**
     * The verdict {@link #evaluate} would give this request now, and why, without executing it: the same path
     * with quotas only looked at, so nothing is consumed and no ids are recorded.
     */
    public CompletableFuture<Explanation> explain(PolicyRequest request) {
        DecisionTrace trace = DecisionTrace.recording();
        return decision(request, trace).thenApply(verdict -> new Explanation(trace, verdict));
    }

    private CompletableFuture<Verdict> decision(PolicyRequest request, DecisionTrace trace) {
        return identities
                .resolve(request.headers())
                .thenCompose(identity -> {
                    trace.identity(identity.user(), List.copyOf(identity.roles()));
                    ClassifiedRequest classified = classifier.classify(request.method(), request.uri());
                    trace.endpoint(classified.endpoint());
                    ParsedRequest parsed = new ParsedRequest(
                            classified,
                            request.body(),
                            request.headers().get("Content-Type", "application/json"),
                            Instant.now(clock));
                    // looks ids up only: binding records nothing, so explain runs it too
                    PointInTimeSearches.Binding pit =
                            identityEnabled ? pits.bind(parsed, identity.user()) : PointInTimeSearches.Binding.NONE;
                    return decide(identity, parsed, request, pit, trace).thenApply(verdict -> {
                        if (trace.dryRun()) {
                            return decisionHeader.annotate(identity, asyncDeadlines.preview(classified, verdict));
                        }
                        Verdict owned = owned(identity, classified, request, pit, verdict);
                        // deadlines are kept by Elasticsearch's ids: the forwarded, unwrapped ones
                        ClassifiedRequest forwarded = owned instanceof Verdict.Allow allow
                                        && allow.uri().isPresent()
                                ? classifier.classify(
                                        request.method(), allow.uri().get())
                                : classified;
                        return decisionHeader.annotate(identity, asyncDeadlines.apply(forwarded, owned));
                    });
                })
                .exceptionally(PolicyEngine::denial);
    }

    @Override
    public CompletableFuture<ApiCaller> authenticate(HttpHeaders headers) {
        if (!identityEnabled) {
            return CompletableFuture.completedFuture(ApiCaller.UNIDENTIFIED);
        }
        return identities.resolve(headers).thenApply(identity -> new ApiCaller(identity.user(), identity.roles()));
    }

    /**
     * Whether {@code caller} may read {@code indices} over {@code [from, to)}, decided as a search of those indices
     * with a range on {@code timeField} would be, except that a range a role would clamp is refused (an API answer
     * cannot be narrowed silently). For Sketchgate's own APIs that read on a user's behalf (the UV API). Fails with
     * a {@link ProxyException}: 403 for a role Sketchgate does not know, 400 for a time range over the limit or
     * without a configured time field. Quotas are not taken.
     */
    public CompletableFuture<Void> checkRead(
            ApiCaller caller, String indices, String timeField, Instant from, Instant to) {
        ClassifiedRequest classified = classifier.classify("POST", "/" + indices + "/_search");
        List<String> written = indexNames(classified.targets());
        return indexResolver.resolve(classified.targets()).handle((resolved, failure) -> {
            if (failure != null) {
                Verdict denied = denial(failure);
                throw ((Verdict.Deny) denied).error();
            }
            Set<String> all = new LinkedHashSet<>(written);
            all.addAll(resolved.names());
            LimitRules current = rules.get();
            List<String> roles = identityEnabled
                    ? List.copyOf(caller.roles())
                    : current.roles().role("default").isPresent() ? List.of("default") : List.of();
            LimitResolver.Resolution resolution =
                    current.resolver().resolve(caller.user(), roles, current.overrides(caller.user()), all);
            if (resolution instanceof LimitResolver.Refused refused) {
                throw refused.rejection().toException();
            }
            EffectiveLimits effective = ((LimitResolver.Applied) resolution).limits();
            if (!effective.isGoverned()) {
                return null;
            }
            EffectiveLimits rejecting = new EffectiveLimits(
                    effective.governingRoles(),
                    effective.maxTimeRange(),
                    effective
                            .maxTimeRange()
                            .map(max -> new Limit<>(io.sketchgate.config.OnExceed.REJECT, "on_exceed", max.source())),
                    effective.requireTimeFilter(),
                    effective.requestsPerMinute(),
                    effective.maxConcurrent(),
                    effective.maxQueue(),
                    effective.maxQueueTime(),
                    effective.maxExecutionTime(),
                    effective.dailyEsTimeBudget());
            ObjectNode body = JSON.createObjectNode();
            ObjectNode range = body.putObject("query").putObject("range").putObject(timeField);
            range.put("gte", from.toString());
            range.put("lt", to.toString());
            TimeSpanChecks.Result time = timeChecks.check(
                    ParsedRequest.ofJson(classified, body, Instant.now(clock)),
                    written,
                    new ArrayList<>(all),
                    rejecting,
                    MultiSearchBody.Item::targets);
            if (time instanceof TimeSpanChecks.Refused refused) {
                throw refused.error();
            }
            return null;
        });
    }

    /** Records who created the scroll, PIT and async ids a permitted query hands out (see {@link Ownership}). */
    private Verdict owned(
            Identity identity,
            ClassifiedRequest classified,
            PolicyRequest request,
            PointInTimeSearches.Binding pit,
            Verdict verdict) {
        if (!identityEnabled || !(verdict instanceof Verdict.Allow allow)) {
            return verdict;
        }
        return ownership.observe(
                classified,
                request.uri(),
                request.body(),
                pit.targets().orElse(classified.targets()),
                pit.searchesPit(),
                identity.user(),
                allow);
    }

    private CompletableFuture<Verdict> decide(
            Identity identity,
            ParsedRequest parsed,
            PolicyRequest request,
            PointInTimeSearches.Binding pit,
            DecisionTrace trace) {
        String user = identity.user();
        ClassifiedRequest classified = parsed.classified();
        if (!classified.endpoint().isQuery()) {
            return done(Verdict.allow(user, "allowed, not a query"));
        }
        if (classified.endpoint().isContinuation()
                || Ownership.continuesSqlCursor(
                        classified, () -> parsed.jsonIfReadable().orElse(null))) {
            Optional<Verdict> served = rewrites.serveContinuation(classified, user); // ids Sketchgate handed out
            if (served.isPresent()) {
                return done(served.get());
            }
            // Bound to the search that opened it, which was decided on its own; only its owner may use it.
            Optional<ProxyException> refused = identityEnabled
                    ? ownership.check(classified, parsed.jsonIfReadable().orElse(null), user)
                    : Optional.empty();
            if (refused.isPresent()) {
                return done(new Verdict.Deny(user, "rejected: " + refused.get().type(), refused.get(), Map.of()));
            }
            return done(Verdict.allow(user, "allowed, continuation of " + classified.endpoint()));
        }
        if (pit.refusal().isPresent()) {
            return done(new Verdict.Deny(
                    user,
                    "rejected: " + pit.refusal().get().type(),
                    pit.refusal().get(),
                    Map.of()));
        }
        // A search over a point in time names no index: it is governed by the indices the PIT was opened on.
        IndexTargets targets = pit.targets().orElseGet(() -> requestTargets(parsed, pit));
        List<String> written = indexNames(targets);
        if (written.isEmpty()) {
            trace.indices(written, written);
            Optional<Rejection> outside = kibanaInternal.check(identity, written, ResolvedIndices.EMPTY);
            return outside.isPresent()
                    ? done(deny(user, outside.get()))
                    : decideLimits(identity, request, parsed, pit, written, written, trace);
        }
        // Aliases and data streams are matched by the indices they stand for too, so a name no role pattern
        // covers cannot reach governed indices.
        return indexResolver.resolve(targets).thenCompose(resolved -> {
            Set<String> all = new LinkedHashSet<>(written);
            all.addAll(resolved.names());
            trace.indices(written, new ArrayList<>(all));
            Optional<Rejection> outside = kibanaInternal.check(identity, written, resolved);
            if (outside.isPresent()) {
                return done(deny(user, outside.get()));
            }
            return decideLimits(identity, request, parsed, pit, written, new ArrayList<>(all), trace);
        });
    }

    private CompletableFuture<Verdict> decideLimits(
            Identity identity,
            PolicyRequest request,
            ParsedRequest parsed,
            PointInTimeSearches.Binding pit,
            List<String> written,
            List<String> indices,
            DecisionTrace trace) {
        String user = identity.user();
        ClassifiedRequest classified = parsed.classified();
        LimitRules current = rules.get(); // one snapshot for the whole decision
        if (identityEnabled && !trace.dryRun()) { // explaining a request is not using the cluster
            monitor.identified(user, identity.roles());
        }
        List<String> roles = rolesOf(identity, current);
        LimitResolver.Resolution resolution = current.resolver().resolve(user, roles, current.overrides(user), indices);
        if (resolution instanceof LimitResolver.Refused refused) {
            return done(deny(user, refused.rejection()));
        }
        EffectiveLimits effective = ((LimitResolver.Applied) resolution).limits();
        trace.limits(current, effective);
        if (!effective.isGoverned()) {
            return rewrites.consider(
                    parsed, request, Verdict.allow(user, "allowed, no role governs " + describe(written)));
        }
        parsed.json(); // a governed query must be readable, whichever stage reads it
        TimeSpanChecks.Result time = timeChecks.check(parsed, written, indices, effective, pit.lineTargets());
        trace.timeCheck(describe(time));
        if (time instanceof TimeSpanChecks.Refused refused) {
            return done(new Verdict.Deny(user, "rejected: " + refused.error().type(), refused.error(), Map.of()));
        }
        if (time instanceof TimeSpanChecks.Answered answered) {
            return done(new Verdict.Answer(user, "answered" + answered.summary(), 200, answered.json()));
        }
        TimeSpanChecks.Passed passed = (TimeSpanChecks.Passed) time;
        long queuedFrom = System.nanoTime();
        CompletableFuture<Permit> admission = admit(user, effective, trace);
        if (!admission.isDone()) { // queued behind the user's running requests
            admission.whenComplete(
                    (permit, failure) -> monitor.queueWaited(user, System.nanoTime() - queuedFrom, failure == null));
        }
        return admission
                .handle((permit, failure) -> {
                    if (failure == null) {
                        return allow(user, effective, passed, permit, Duration.ofNanos(System.nanoTime() - queuedFrom));
                    }
                    if (unwrap(failure) instanceof PolicyException policy) {
                        return deny(user, policy.rejection());
                    }
                    throw new CompletionException(unwrap(failure));
                })
                .thenCompose(verdict -> verdict instanceof Verdict.Allow allowed
                        ? rewrites.consider(parsed, request, allowed)
                        : done(verdict)); // after quotas: still a request
    }

    /** Takes the user's quotas; when explaining, only looks at them. */
    private CompletableFuture<Permit> admit(String user, EffectiveLimits effective, DecisionTrace trace) {
        if (!trace.dryRun()) {
            return quotas.admit(user, effective);
        }
        Optional<Rejection> refused = quotas.preview(user, effective);
        String running = effective
                .maxConcurrent()
                .map(max -> ", " + quotas.running(user) + " of " + max.value() + " concurrent requests running")
                .orElse("");
        trace.quotaCheck((refused.isPresent() ? "refused: " + refused.get().type() : "admitted") + running);
        return refused.isPresent()
                ? CompletableFuture.failedFuture(refused.get().toException())
                : CompletableFuture.completedFuture(Permit.UNLIMITED);
    }

    private static String describe(TimeSpanChecks.Result time) {
        if (time instanceof TimeSpanChecks.Refused refused) {
            return "refused: " + refused.error().type();
        }
        String summary = time instanceof TimeSpanChecks.Passed passed
                ? passed.summary()
                : ((TimeSpanChecks.Answered) time).summary();
        return summary.isEmpty() ? "passed" : "passed" + summary;
    }

    private Verdict allow(
            String user, EffectiveLimits effective, TimeSpanChecks.Passed time, Permit permit, Duration queueWait) {
        Map<String, String> headers = new LinkedHashMap<>(time.responseHeaders());
        String decision = "allowed, roles " + effective.governingRoles() + ", limits "
                + DecisionHeader.limits(effective) + time.summary() + ", queue wait " + queueWait.toMillis() + "ms";
        Optional<Verdict.ExecutionLimit> executionLimit =
                effective.maxExecutionTime().map(limit -> new Verdict.ExecutionLimit(limit.value(), limit.describe()));
        return new Verdict.Allow(
                user,
                decision,
                time.body(),
                headers,
                executionLimit,
                time.responseRewrite(),
                Optional.empty(),
                outcome -> {
                    permit.release();
                    outcome.tookMillis().ifPresent(took -> quotas.recordEsTime(user, Duration.ofMillis(took)));
                });
    }

    /**
     * Today's Elasticsearch time of {@code user} against the tightest {@code daily_es_time_budget} of the given
     * roles and the user's overrides (the budget a query on every index would get), for the usage API.
     */
    public BudgetToday budgetToday(String user, Collection<String> roles) {
        LimitRules current = rules.get();
        LimitResolver.Resolution resolution =
                current.resolver().resolve(user, List.copyOf(roles), current.overrides(user), List.of());
        Optional<Limit<Duration>> budget = resolution instanceof LimitResolver.Applied applied
                ? applied.limits().dailyEsTimeBudget()
                : Optional.empty();
        EffectiveLimits withBudget =
                budget.isEmpty() ? EffectiveLimits.UNGOVERNED : ((LimitResolver.Applied) resolution).limits();
        return new BudgetToday(
                quotas.esTimeUsedToday(user), budget.map(Limit::value), quotas.esTimeRemainingToday(user, withBudget));
    }

    /** See {@link #budgetToday}; {@code remaining} is empty when no budget applies. */
    public record BudgetToday(Duration used, Optional<Duration> budget, Optional<Duration> remaining) {}

    /** The indices a request touches; for {@code _msearch}, those of every search, whatever the path names. */
    private static IndexTargets requestTargets(ParsedRequest parsed, PointInTimeSearches.Binding pit) {
        ClassifiedRequest classified = parsed.classified();
        if (classified.endpoint() != QueryEndpoint.MSEARCH || parsed.body().isEmpty()) {
            return classified.targets();
        }
        List<IndexExpression> expressions = new ArrayList<>();
        for (MultiSearchBody.Item item : parsed.lines().items()) {
            IndexTargets itemTargets = pit.lineTargets().apply(item);
            if (itemTargets.scope() != IndexTargets.Scope.LISTED) {
                return IndexTargets.all();
            }
            expressions.addAll(itemTargets.expressions());
        }
        return IndexTargets.listed(expressions);
    }

    /** Without identity, everyone is {@code anonymous}; a role named {@code default} then applies if defined. */
    private List<String> rolesOf(Identity identity, LimitRules current) {
        if (!identityEnabled) {
            return current.roles().role("default").isPresent() ? List.of("default") : List.of();
        }
        return List.copyOf(identity.roles());
    }

    private static List<String> indexNames(IndexTargets targets) {
        if (targets.scope() != IndexTargets.Scope.LISTED) {
            return List.of(); // every index: _all, *, or indices named inside the query text
        }
        Set<String> names = new LinkedHashSet<>();
        for (IndexExpression expression : targets.expressions()) {
            names.add(expression.canonical());
        }
        return new ArrayList<>(names);
    }

    private static String describe(List<String> indices) {
        return indices.isEmpty() ? "all indices" : String.join(",", indices);
    }

    private static Verdict deny(String user, Rejection rejection) {
        PolicyException error = rejection.toException(); // its headers carry Retry-After
        return new Verdict.Deny(user, "rejected: " + rejection.type(), error, error.headers());
    }

    /** A failure while deciding, as the refusal to answer; the one translator decides the error. */
    private static Verdict denial(Throwable failure) {
        ProxyException error = ErrorTranslator.translate(failure);
        Throwable cause = ErrorTranslator.unwrap(failure);
        String decision = cause instanceof IdentityException
                ? "unauthenticated"
                : cause instanceof ProxyException || cause instanceof ErrorShaped
                        ? "rejected: " + error.type()
                        : "error";
        return new Verdict.Deny("-", decision, error, error.headers());
    }

    private static Verdict deny(ProxyException error) {
        return new Verdict.Deny("-", "rejected: " + error.type(), error, Map.of());
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static CompletableFuture<Verdict> done(Verdict verdict) {
        return CompletableFuture.completedFuture(verdict);
    }

    static ObjectNode asObject(JsonNode node) {
        return node instanceof ObjectNode object ? object : JSON.createObjectNode();
    }
}
