package io.sketchgate.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.OnExceed;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.IndexResolver;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.RequestClassifier;
import io.sketchgate.http.ErrorTranslator;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Whether a caller may read an index pattern over {@code [from, to)}, decided as a search of it with a range on
 * its time field would be, except that a range a role would clamp is refused (an API answer cannot be narrowed
 * silently). For Sketchgate's own APIs that read on a user's behalf (the UV API). Quotas are not taken.
 */
public final class SourceReads {
    private final boolean identityEnabled;
    private final Supplier<LimitRules> rules;
    private final RequestClassifier classifier;
    private final IndexResolver indexResolver;
    private final TimeSpanChecks timeChecks;
    private final Clock clock;

    public SourceReads(
            boolean identityEnabled,
            Supplier<LimitRules> rules,
            RequestClassifier classifier,
            IndexResolver indexResolver,
            TimeSpanChecks timeChecks,
            Clock clock) {
        this.identityEnabled = identityEnabled;
        this.rules = rules;
        this.classifier = classifier;
        this.indexResolver = indexResolver;
        this.timeChecks = timeChecks;
        this.clock = clock;
    }

    /**
     * Completes when {@code caller} may read; fails with a {@link ProxyException}: 403 for a role Sketchgate does
     * not know, 400 for a time range over the limit or without a configured time field.
     */
    public CompletableFuture<Void> check(Identity caller, String indices, String timeField, Instant from, Instant to) {
        ClassifiedRequest classified = classifier.classify("POST", "/" + indices + "/_search");
        List<String> written = Decider.indexNames(classified.targets());
        return indexResolver.resolve(classified.targets()).handle((resolved, failure) -> {
            if (failure != null) {
                throw ErrorTranslator.translate(failure);
            }
            Set<String> all = new LinkedHashSet<>(written);
            all.addAll(resolved.names());
            LimitRules current = rules.get();
            LimitResolver.Resolution resolution = current.resolver()
                    .resolve(
                            caller.user(),
                            Decider.roles(identityEnabled, caller.roles(), current),
                            current.overrides(caller.user()),
                            all);
            if (resolution instanceof LimitResolver.Refused refused) {
                throw refused.rejection().toException();
            }
            EffectiveLimits effective = ((LimitResolver.Applied) resolution).limits();
            if (!effective.isGoverned()) {
                return null;
            }
            TimeSpanChecks.Result time = timeChecks.check(
                    ParsedRequest.ofJson(classified, rangeQuery(timeField, from, to), Instant.now(clock)),
                    written,
                    new ArrayList<>(all),
                    rejectingOverLimit(effective),
                    MultiSearchBody.Item::targets);
            if (time instanceof TimeSpanChecks.Refused refused) {
                throw refused.error();
            }
            return null;
        });
    }

    /** The same limits, with a span over the maximum refused rather than clamped. */
    private static EffectiveLimits rejectingOverLimit(EffectiveLimits effective) {
        return new EffectiveLimits(
                effective.governingRoles(),
                effective.maxTimeRange(),
                effective.maxTimeRange().map(max -> new Limit<>(OnExceed.REJECT, "on_exceed", max.source())),
                effective.requireTimeFilter(),
                effective.requestsPerMinute(),
                effective.maxConcurrent(),
                effective.maxQueue(),
                effective.maxQueueTime(),
                effective.maxExecutionTime(),
                effective.dailyEsTimeBudget());
    }

    private static ObjectNode rangeQuery(String timeField, Instant from, Instant to) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode range = body.putObject("query").putObject("range").putObject(timeField);
        range.put("gte", from.toString());
        range.put("lt", to.toString());
        return body;
    }
}
