package io.sketchgate.pipeline;

import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.RequestClassifier;
import io.sketchgate.http.ErrorShaped;
import io.sketchgate.http.ErrorTranslator;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.http.Stages;
import io.sketchgate.http.Verdict;
import io.sketchgate.identity.IdentityException;
import io.sketchgate.identity.IdentityResolver;
import io.sketchgate.policy.AsyncSearchDeadlines;
import io.sketchgate.policy.Decider;
import io.sketchgate.policy.DecisionHeader;
import io.sketchgate.policy.DecisionTrace;
import io.sketchgate.policy.Explanation;
import io.sketchgate.policy.Ownership;
import io.sketchgate.policy.PointInTimeSearches;
import io.sketchgate.transport.RequestPolicy;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The data path of a request on the Elasticsearch-facing listener, in the order of {@link #run}: who is asking,
 * the request parsed once, the continuation ids it names, the policy's decision, the Kibana rewrite, the ids it
 * hands out, and one translation of anything that went wrong into an Elasticsearch-shaped refusal. The transport
 * then forwards what is allowed, or answers.
 */
public final class RequestPipeline implements RequestPolicy {
    private final IdentityResolver identities;
    private final boolean identityEnabled;
    private final RequestClassifier classifier;
    private final PointInTimeSearches pits;
    private final Decider decider;
    private final UniqueCountRewrites rewrites;
    private final Ownership ownership;
    private final AsyncSearchDeadlines asyncDeadlines;
    private final DecisionHeader decisionHeader;
    private final Clock clock;

    RequestPipeline(
            IdentityResolver identities,
            RequestClassifier classifier,
            Ownership ownership,
            Decider decider,
            UniqueCountRewrites rewrites,
            AsyncSearchDeadlines asyncDeadlines,
            DecisionHeader decisionHeader,
            Clock clock) {
        this.identities = identities;
        this.identityEnabled = identities.enabled();
        this.classifier = classifier;
        this.ownership = ownership;
        this.pits = new PointInTimeSearches(ownership);
        this.decider = decider;
        this.rewrites = rewrites;
        this.asyncDeadlines = asyncDeadlines;
        this.decisionHeader = decisionHeader;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<Verdict> evaluate(PolicyRequest request) {
        return run(request, DecisionTrace.NONE);
    }

    /**
     * The verdict {@link #evaluate} would give this request now, and why, without executing it: the same path
     * with quotas only looked at, so nothing is consumed and no ids are recorded.
     */
    public CompletableFuture<Explanation> explain(PolicyRequest request) {
        DecisionTrace trace = DecisionTrace.recording();
        return run(request, trace).thenApply(verdict -> new Explanation(trace, verdict));
    }

    /**
     * The one data path; a recording {@code trace} makes it a dry run. Stages already complete (the usual case: the
     * identity, aliases and quotas come from memory) are gone through directly, without a future per step.
     */
    private CompletableFuture<Verdict> run(PolicyRequest request, DecisionTrace trace) {
        CompletableFuture<Verdict> verdict = Stages.thenCompose(
                identities.resolve(request.headers()), // 1. who is asking
                identity -> {
                    ParsedRequest parsed = parse(request, identity, trace); // 2. the request, parsed once
                    // 3. the PIT it searches: its owner and indices (looks ids up only, so explain runs it too)
                    PointInTimeSearches.Binding pit =
                            identityEnabled ? pits.bind(parsed, identity.user()) : PointInTimeSearches.Binding.NONE;
                    CompletableFuture<Verdict> decided = servedContinuation(parsed, identity) // 4. an async id
                            .map(CompletableFuture::completedFuture) // Sketchgate itself answered
                            .orElseGet(() -> Stages.thenCompose(
                                    decider.decide(identity, parsed, pit, trace), // 5. the policy
                                    allowed -> rewritten(parsed, request, allowed))); // 6. the rewrite
                    return Stages.thenApply(
                            decided, done -> handedOut(identity, parsed, request, pit, done, trace)); // 7.
                });
        return Stages.exceptionally(verdict, RequestPipeline::refusal); // 8. one translator for every failure
    }

    @Override
    public CompletableFuture<Identity> authenticate(HttpHeaders headers) {
        if (!identityEnabled) {
            return CompletableFuture.completedFuture(Identity.UNIDENTIFIED);
        }
        return identities.resolve(headers);
    }

    private ParsedRequest parse(PolicyRequest request, Identity identity, DecisionTrace trace) {
        trace.identity(identity.user(), identity.roles());
        ClassifiedRequest classified = classifier.classify(request.method(), request.uri());
        trace.endpoint(classified.endpoint());
        return new ParsedRequest(
                classified,
                request.body(),
                request.headers().get("Content-Type", "application/json"),
                Instant.now(clock));
    }

    /** A continuation of an answer the rewrite gave (its async-search ids), served without Elasticsearch. */
    private Optional<Verdict> servedContinuation(ParsedRequest parsed, Identity identity) {
        boolean continuation = parsed.classified().endpoint().isQuery() && Decider.isContinuation(parsed);
        return continuation ? rewrites.serveContinuation(parsed.classified(), identity.user()) : Optional.empty();
    }

    /** An allowed search the unique-count index can answer is answered (or shadowed); the rest is as decided. */
    private CompletableFuture<Verdict> rewritten(ParsedRequest parsed, PolicyRequest request, Verdict verdict) {
        return verdict instanceof Verdict.Allow allow
                ? rewrites.consider(parsed, request, allow)
                : CompletableFuture.completedFuture(verdict);
    }

    /**
     * What the verdict hands out: the owner of the scroll, PIT and async ids a permitted query opens (see
     * {@link Ownership}), the deadlines of async searches, and the decision header.
     */
    private Verdict handedOut(
            Identity identity,
            ParsedRequest parsed,
            PolicyRequest request,
            PointInTimeSearches.Binding pit,
            Verdict verdict,
            DecisionTrace trace) {
        ClassifiedRequest classified = parsed.classified();
        if (trace.dryRun()) {
            return decisionHeader.annotate(identity, asyncDeadlines.preview(classified, verdict));
        }
        Verdict owned = owned(identity, classified, request, pit, verdict);
        // deadlines are kept by Elasticsearch's ids: the forwarded, unwrapped ones
        ClassifiedRequest forwarded =
                owned instanceof Verdict.Allow allow && allow.uri().isPresent()
                        ? classifier.classify(request.method(), allow.uri().get())
                        : classified;
        return decisionHeader.annotate(identity, asyncDeadlines.apply(forwarded, owned));
    }

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

    /** A failure anywhere on the path, as the refusal to answer; the one translator decides the error. */
    private static Verdict refusal(Throwable failure) {
        ProxyException error = ErrorTranslator.translate(failure);
        Throwable cause = ErrorTranslator.unwrap(failure);
        String decision = cause instanceof IdentityException
                ? "unauthenticated"
                : cause instanceof ProxyException || cause instanceof ErrorShaped
                        ? "rejected: " + error.type()
                        : "error";
        return new Verdict.Deny("-", decision, error, error.headers());
    }
}
