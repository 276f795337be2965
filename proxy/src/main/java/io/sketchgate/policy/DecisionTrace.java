package io.sketchgate.policy;

import io.sketchgate.esapi.QueryEndpoint;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the {@link Decider} saw on its way to a verdict: filled in by the one decision path when a request is
 * explained, and a no-op for real requests (the {@link #NONE} instance records nothing and allocates nothing).
 * A recording trace also makes the path a dry run: quotas are looked at, never consumed.
 */
public final class DecisionTrace {
    public static final DecisionTrace NONE = new DecisionTrace(false);

    private final boolean recording;
    private String user;
    private List<String> roles = List.of();
    private QueryEndpoint endpoint;
    private List<String> writtenIndices = List.of();
    private List<String> resolvedIndices = List.of();
    private LimitRules rules;
    private EffectiveLimits limits;
    private String timeCheck;
    private String quotaCheck;

    private DecisionTrace(boolean recording) {
        this.recording = recording;
    }

    public static DecisionTrace recording() {
        return new DecisionTrace(true);
    }

    /** True when explaining: nothing may be consumed or recorded. */
    public boolean dryRun() {
        return recording;
    }

    /** The roles are copied only when recording: every request passes through here. */
    public void identity(String user, Collection<String> roles) {
        if (recording) {
            this.user = user;
            this.roles = List.copyOf(roles);
        }
    }

    public void endpoint(QueryEndpoint endpoint) {
        if (recording) {
            this.endpoint = endpoint;
        }
    }

    public void indices(List<String> written, List<String> resolved) {
        if (recording) {
            this.writtenIndices = List.copyOf(written);
            this.resolvedIndices = List.copyOf(resolved);
        }
    }

    public void limits(LimitRules rules, EffectiveLimits limits) {
        if (recording) {
            this.rules = rules;
            this.limits = limits;
        }
    }

    /** @param summary put in words only when recording: a real request never reads them */
    public void timeCheck(Supplier<String> summary) {
        if (recording) {
            this.timeCheck = summary.get();
        }
    }

    public void quotaCheck(String summary) {
        if (recording) {
            this.quotaCheck = summary;
        }
    }

    /** Empty when identity failed before anyone was known. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    public List<String> roles() {
        return roles;
    }

    /** Empty before the request was classified. */
    public Optional<QueryEndpoint> endpoint() {
        return Optional.ofNullable(endpoint);
    }

    /** The index expressions as the request names them. */
    public List<String> writtenIndices() {
        return writtenIndices;
    }

    /** Those and what they resolve to (aliases, data streams, wildcards). */
    public List<String> resolvedIndices() {
        return resolvedIndices;
    }

    /** The rules in force when the request was decided; empty when the decision came before limits. */
    public Optional<LimitRules> rules() {
        return Optional.ofNullable(rules);
    }

    public Optional<EffectiveLimits> limits() {
        return Optional.ofNullable(limits);
    }

    /** The time check's outcome in words ({@code span 7 days}, {@code clamped to ...}); empty when none ran. */
    public Optional<String> timeCheck() {
        return Optional.ofNullable(timeCheck);
    }

    /** The quota check's outcome in words; empty when none ran. */
    public Optional<String> quotaCheck() {
        return Optional.ofNullable(quotaCheck);
    }
}
