package io.sketchgate.policy;

import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.IndexExpression;
import io.sketchgate.esapi.IndexResolver;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.esapi.ResolvedIndices;
import io.sketchgate.http.DecisionText;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Stages;
import io.sketchgate.http.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The policy decision for one request, and nothing else: may this identity run this parsed request now, and in
 * what form. In order: a continuation only by its owner; the indices it touches (aliases and wildcards resolved);
 * Kibana's internal indices; the limits of the user's roles; the time span; the quotas. Answers allow, deny or
 * (for a span answered without searching) answer; never executes anything.
 */
public final class Decider {
    private final boolean identityEnabled;
    private final Supplier<LimitRules> rules;
    private final KibanaInternalAccess kibanaInternal;
    private final TimeSpanChecks timeChecks;
    private final Quotas quotas;
    private final IndexResolver indexResolver;
    private final Ownership ownership;
    private final PolicyMonitor monitor;
    private final LimitWords limitWords = new LimitWords();
    private final ResolvedNames resolvedNames = new ResolvedNames();

    /**
     * @param rules roles and user overrides, read once per decision (run-time changes swap what it returns)
     */
    public Decider(
            boolean identityEnabled,
            Supplier<LimitRules> rules,
            KibanaInternalAccess kibanaInternal,
            TimeSpanChecks timeChecks,
            Quotas quotas,
            IndexResolver indexResolver,
            Ownership ownership,
            PolicyMonitor monitor) {
        this.identityEnabled = identityEnabled;
        this.rules = rules;
        this.kibanaInternal = kibanaInternal;
        this.timeChecks = timeChecks;
        this.quotas = quotas;
        this.indexResolver = indexResolver;
        this.ownership = ownership;
        this.monitor = monitor;
    }

    /** The verdict for {@code parsed}, asked by {@code identity}; with a recording {@code trace}, a dry run. */
    public CompletableFuture<Verdict> decide(
            Identity identity, ParsedRequest parsed, PointInTimeSearches.Binding pit, DecisionTrace trace) {
        String user = identity.user();
        ClassifiedRequest classified = parsed.classified();
        if (!classified.endpoint().isQuery()) {
            return done(Verdict.allow(user, "allowed, not a query"));
        }
        if (isContinuation(parsed)) {
            // Bound to the search that opened it, which was decided on its own; only its owner may use it.
            Optional<ProxyException> refused = identityEnabled
                    ? ownership.check(classified, parsed.jsonIfReadable().orElse(null), user)
                    : Optional.empty();
            return done(
                    refused.isPresent()
                            ? deny(user, refused.get())
                            : Verdict.allow(user, "allowed, continuation of " + classified.endpoint()));
        }
        if (pit.refusal().isPresent()) {
            return done(deny(user, pit.refusal().get()));
        }
        // A search over a point in time names no index: it is governed by the indices the PIT was opened on.
        IndexTargets targets = pit.targets().orElseGet(() -> requestTargets(parsed, pit));
        List<String> written = indexNames(targets);
        if (written.isEmpty()) {
            trace.indices(written, written);
            Optional<Rejection> outside = kibanaInternal.check(identity, written, ResolvedIndices.EMPTY);
            return outside.isPresent()
                    ? done(deny(user, outside.get()))
                    : decideLimits(identity, parsed, pit, written, written, trace);
        }
        // Aliases and data streams are matched by the indices they stand for too, so a name no role pattern
        // covers cannot reach governed indices.
        return Stages.thenCompose(indexResolver.resolve(targets), resolved -> {
            List<String> names = resolvedNames.of(resolved);
            List<String> indices; // the trace keeps its own copy, when it records
            if (names.equals(written)) { // an index named as it is: nothing to merge
                indices = names;
            } else {
                Set<String> all = new LinkedHashSet<>(written);
                all.addAll(names);
                indices = new ArrayList<>(all);
            }
            trace.indices(written, indices);
            Optional<Rejection> outside = kibanaInternal.check(identity, written, resolved);
            if (outside.isPresent()) {
                return done(deny(user, outside.get()));
            }
            return decideLimits(identity, parsed, pit, written, indices, trace);
        });
    }

    /** A scroll, async-search, PIT-close or SQL-cursor request: it continues a search decided before. */
    public static boolean isContinuation(ParsedRequest parsed) {
        ClassifiedRequest classified = parsed.classified();
        return classified.endpoint().isContinuation()
                || Ownership.continuesSqlCursor(
                        classified, () -> parsed.jsonIfReadable().orElse(null));
    }

    private CompletableFuture<Verdict> decideLimits(
            Identity identity,
            ParsedRequest parsed,
            PointInTimeSearches.Binding pit,
            List<String> written,
            List<String> indices,
            DecisionTrace trace) {
        String user = identity.user();
        LimitRules current = rules.get(); // one snapshot for the whole decision
        if (identityEnabled && !trace.dryRun()) { // explaining a request is not using the cluster
            monitor.identified(user, identity.roles());
        }
        LimitResolver.Resolution resolution = current.resolver()
                .resolve(user, roles(identityEnabled, identity.roles(), current), current.overrides(user), indices);
        if (resolution instanceof LimitResolver.Refused refused) {
            return done(deny(user, refused.rejection()));
        }
        EffectiveLimits effective = ((LimitResolver.Applied) resolution).limits();
        trace.limits(current, effective);
        if (!effective.isGoverned()) {
            return done(Verdict.allow(user, "allowed, no role governs " + describe(written)));
        }
        parsed.requireReadable(); // a governed query must be readable; the tree is built only if a stage needs it
        TimeSpanChecks.Result time = timeChecks.check(parsed, written, indices, effective, pit.lineTargets());
        trace.timeCheck(() -> describe(time));
        if (time instanceof TimeSpanChecks.Refused refused) {
            return done(deny(user, refused.error()));
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
        if (admission.isDone() && !admission.isCompletedExceptionally()) { // admitted now: no stage to wait on
            Permit permit = admission.join();
            return done(allow(user, effective, passed, permit, Duration.ofNanos(System.nanoTime() - queuedFrom)));
        }
        return admission.handle((permit, failure) -> {
            if (failure == null) {
                return allow(user, effective, passed, permit, Duration.ofNanos(System.nanoTime() - queuedFrom));
            }
            if (unwrap(failure) instanceof PolicyException policy) {
                return deny(user, policy.rejection());
            }
            throw new CompletionException(unwrap(failure));
        });
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

    private Verdict allow(
            String user, EffectiveLimits effective, TimeSpanChecks.Passed time, Permit permit, Duration queueWait) {
        Map<String, String> headers = time.responseHeaders(); // immutable: later stages copy to add
        // in words only when read (access log, decision header, explain): all it names is immutable
        DecisionText decision = DecisionText.lazy(
                () -> limitWords.allowed(effective) + time.summary() + ", queue wait " + queueWait.toMillis() + "ms");
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
                },
                Optional.empty(),
                Optional.empty());
    }

    /** Without identity, everyone is {@code anonymous}; a role named {@code default} then applies if defined. */
    static List<String> roles(boolean identityEnabled, Collection<String> roles, LimitRules current) {
        if (!identityEnabled) {
            return current.roles().role("default").isPresent() ? List.of("default") : List.of();
        }
        return List.copyOf(roles);
    }

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

    /** The names a request writes, canonical and deduplicated; empty for every index (or names inside the query). */
    static List<String> indexNames(IndexTargets targets) {
        if (targets.scope() != IndexTargets.Scope.LISTED) {
            return List.of();
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

    private static String describe(TimeSpanChecks.Result time) {
        if (time instanceof TimeSpanChecks.Refused refused) {
            return "refused: " + refused.error().type();
        }
        String summary = time instanceof TimeSpanChecks.Passed passed
                ? passed.summary()
                : ((TimeSpanChecks.Answered) time).summary();
        return summary.isEmpty() ? "passed" : "passed" + summary;
    }

    private static Verdict deny(String user, Rejection rejection) {
        PolicyException error = rejection.toException(); // its headers carry Retry-After
        return new Verdict.Deny(user, "rejected: " + rejection.type(), error, error.headers());
    }

    private static Verdict deny(String user, ProxyException error) {
        return new Verdict.Deny(user, "rejected: " + error.type(), error, Map.of());
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private static CompletableFuture<Verdict> done(Verdict verdict) {
        return CompletableFuture.completedFuture(verdict);
    }
}
