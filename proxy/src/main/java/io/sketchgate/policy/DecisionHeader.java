package io.sketchgate.policy;

import io.sketchgate.config.DecisionHeaderAudience;
import io.sketchgate.config.Durations;
import io.sketchgate.http.Identity;
import io.sketchgate.http.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code X-Sketchgate-Decision}: the policy decision on the response, for administrators (role
 * {@value Identity#ADMIN_ROLE}) or everyone ({@code identity.decision_header: everyone}). Never for other users by
 * default: the roles and limits it names tell a user exactly how far a request may go. Without identity nobody is an
 * administrator, so nobody gets it.
 *
 * <p>The value is the access log's decision, e.g. {@code allowed, roles [analyst], limits max_time_range=31d
 * (role analyst) requests_per_minute=120 (role analyst), span 7 days, queue wait 0ms}, cut to
 * {@value #MAX_LENGTH} characters of printable ASCII.
 */
public final class DecisionHeader {
    static final String NAME = "X-Sketchgate-Decision";
    private static final int MAX_LENGTH = 1000;

    private final boolean identityEnabled;
    private final DecisionHeaderAudience audience;

    public DecisionHeader(boolean identityEnabled, DecisionHeaderAudience audience) {
        this.identityEnabled = identityEnabled;
        this.audience = audience;
    }

    /** The verdict, with the header when this identity may see it. */
    public Verdict annotate(Identity identity, Verdict verdict) {
        if (!identityEnabled
                || !(audience == DecisionHeaderAudience.EVERYONE
                        || identity.roles().contains(Identity.ADMIN_ROLE))) {
            return verdict;
        }
        if (verdict instanceof Verdict.Allow allow) {
            return allow.withResponseHeaders(with(allow.responseHeaders(), allow.decision()));
        }
        if (verdict instanceof Verdict.Deny deny) {
            return new Verdict.Deny(deny.user(), deny.decision(), deny.error(), with(deny.headers(), deny.decision()));
        }
        if (verdict instanceof Verdict.Answer answer) { // a rewritten search, an _msearch refused whole
            return new Verdict.Answer(
                    answer.user(),
                    answer.decision(),
                    answer.status(),
                    answer.json(),
                    with(answer.headers(), answer.decision()));
        }
        return verdict;
    }

    /** The limits that applied, key by key with their source: {@code max_time_range=31d (role analyst)}. */
    public static String limits(EffectiveLimits limits) {
        List<String> parts = new ArrayList<>();
        add(parts, limits.maxTimeRange());
        add(parts, limits.onExceed());
        add(parts, limits.requireTimeFilter());
        add(parts, limits.requestsPerMinute());
        add(parts, limits.maxConcurrent());
        add(parts, limits.maxQueue());
        add(parts, limits.maxQueueTime());
        add(parts, limits.maxExecutionTime());
        add(parts, limits.dailyEsTimeBudget());
        return parts.isEmpty() ? "none" : String.join(" ", parts);
    }

    private static void add(List<String> parts, Optional<? extends Limit<?>> limit) {
        limit.ifPresent(l -> {
            Object value = l.value() instanceof Duration d
                    ? Durations.format(d)
                    : l.value().toString().toLowerCase(java.util.Locale.ROOT);
            String source = (l.source().kind() == LimitSource.Kind.ROLE ? "role " : "user ")
                    + l.source().name();
            parts.add(l.key() + "=" + value + " (" + source + ")");
        });
    }

    private static Map<String, String> with(Map<String, String> headers, String decision) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(NAME, printable(decision));
        return all;
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
        for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
