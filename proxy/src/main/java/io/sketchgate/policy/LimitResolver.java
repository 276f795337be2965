package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.LimitKey;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.OnExceed;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Computes the {@link EffectiveLimits} of a request from the user's roles, the user's overrides and the index
 * expressions the request touches.
 *
 * <p>A role <em>governs</em> a request when one of its {@code indices} patterns can match a name one of the
 * request's expressions can match ({@link IndexPattern#overlaps}, conservative as described in
 * {@link IndexExpressions}). The request gets, key by key, the strictest value among the governing roles:
 * the smallest number or duration, {@code require_time_filter} if any role requires it, and {@code reject} over
 * {@code clamp}. A tie goes to the role listed first for the user. Then each key the user's overrides set
 * replaces that result, looser or stricter: overrides are how an administrator grants one user more. A request
 * no role governs has no limits, and overrides do not apply to it.
 *
 * <p>A role the user has but the configuration does not define is refused with 403 whatever the request
 * touches: the missing role might have been meant to be the strict one.
 *
 * <p>Thread-safe; a config reload and every run-time change build a new one ({@link LimitRules}), so one resolver
 * is one version of the roles. It remembers its answers per (user, roles, overrides, index expressions) in a bounded
 * Caffeine cache: the answer is a function of those and of the roles it was built with, and a Kibana user sends the
 * same few combinations again and again. A changed role or override reaches the next request because that request
 * reads the new {@link LimitRules}, whose resolver starts empty.
 */
public final class LimitResolver {
    /** Distinct (user, roles, overrides, indices) combinations remembered; a miss costs one resolution (~1 µs). */
    static final long MEMO_ENTRIES = 10_000;

    private final RolesConfig roles;
    private final Cache<Key, Resolution> memo;

    public LimitResolver(RolesConfig roles) {
        this.roles = Objects.requireNonNull(roles, "roles");
        this.memo = Caches.newBuilder().maximumSize(MEMO_ENTRIES).build();
    }

    private record Key(String user, List<String> roles, LimitSettings overrides, List<String> indices) {}

    /** The outcome of {@link #resolve}: limits to apply, or a refusal. */
    public sealed interface Resolution permits Applied, Refused {}

    public record Applied(EffectiveLimits limits) implements Resolution {}

    public record Refused(Rejection rejection) implements Resolution {}

    /**
     * @param user      the user's name, for messages
     * @param userRoles the user's Sketchgate roles, in the order identity reports them
     * @param overrides the user's {@code overrides}, {@link LimitSettings#NONE} for none
     * @param indices   the request's index expressions, URL-decoded and split at commas; empty means every index
     *                  (as {@code GET /_search} does)
     */
    public Resolution resolve(
            String user, List<String> userRoles, LimitSettings overrides, Collection<String> indices) {
        Key key = new Key(user, List.copyOf(userRoles), overrides, List.copyOf(indices));
        Resolution known = memo.getIfPresent(key);
        if (known != null) {
            return known;
        }
        Resolution resolved = compute(key.user(), key.roles(), key.overrides(), key.indices());
        memo.put(key, resolved);
        return resolved;
    }

    private Resolution compute(
            String user, List<String> userRoles, LimitSettings overrides, Collection<String> indices) {
        List<RoleConfig> userRoleConfigs = new ArrayList<>(userRoles.size());
        for (String name : userRoles) {
            Optional<RoleConfig> role = roles.role(name);
            if (role.isEmpty()) {
                return new Refused(unknownRole(user, name));
            }
            if (!userRoleConfigs.contains(role.get())) {
                userRoleConfigs.add(role.get());
            }
        }
        List<IndexPattern> touched = TouchedPatterns.touched(indices);
        List<RoleConfig> governing =
                userRoleConfigs.stream().filter(r -> governs(r, touched)).toList();
        if (governing.isEmpty()) {
            return new Applied(EffectiveLimits.UNGOVERNED);
        }
        return new Applied(combine(user, governing, overrides));
    }

    static Rejection unknownRole(String user, String role) {
        return new Rejection(
                403,
                Rejection.UNKNOWN_ROLE_TYPE,
                "User " + user + " has the role " + role
                        + ", which Sketchgate does not know, so Sketchgate cannot tell which limits apply. An administrator"
                        + " must define the role " + role + " under roles: in the Sketchgate configuration.",
                Optional.empty());
    }

    private static boolean governs(RoleConfig role, List<IndexPattern> touched) {
        for (IndexPattern governed : role.indices()) {
            for (IndexPattern index : touched) {
                if (governed.overlaps(index)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static EffectiveLimits combine(String user, List<RoleConfig> governing, LimitSettings overrides) {
        LimitSource override = LimitSource.userOverride(user);
        Optional<Limit<Duration>> maxTimeRange = smallest(
                governing,
                LimitKey.MAX_TIME_RANGE.key(),
                LimitSettings::maxTimeRange,
                overrides.maxTimeRange(),
                override);
        Optional<Limit<OnExceed>> onExceed =
                maxTimeRange.map(range -> onExceed(governing, overrides, override, range.source()));
        return new EffectiveLimits(
                governing.stream().map(RoleConfig::name).toList(),
                maxTimeRange,
                onExceed,
                requireTimeFilter(governing, overrides, override),
                smallest(
                        governing,
                        LimitKey.REQUESTS_PER_MINUTE.key(),
                        LimitSettings::requestsPerMinute,
                        overrides.requestsPerMinute(),
                        override),
                smallest(
                        governing,
                        LimitKey.MAX_CONCURRENT.key(),
                        LimitSettings::maxConcurrent,
                        overrides.maxConcurrent(),
                        override),
                smallest(governing, LimitKey.MAX_QUEUE.key(), LimitSettings::maxQueue, overrides.maxQueue(), override),
                smallest(
                        governing,
                        LimitKey.MAX_QUEUE_TIME.key(),
                        LimitSettings::maxQueueTime,
                        overrides.maxQueueTime(),
                        override),
                smallest(
                        governing,
                        LimitKey.MAX_EXECUTION_TIME.key(),
                        LimitSettings::maxExecutionTime,
                        overrides.maxExecutionTime(),
                        override),
                smallest(
                        governing,
                        LimitKey.DAILY_ES_TIME_BUDGET.key(),
                        LimitSettings::dailyEsTimeBudget,
                        overrides.dailyEsTimeBudget(),
                        override));
    }

    /** The smallest value among the roles that set {@code key}, first role on ties; an override replaces it. */
    private static <T extends Comparable<T>> Optional<Limit<T>> smallest(
            List<RoleConfig> governing,
            String key,
            Function<LimitSettings, Optional<T>> getter,
            Optional<T> overridden,
            LimitSource override) {
        if (overridden.isPresent()) {
            return Optional.of(new Limit<>(overridden.get(), key, override));
        }
        Limit<T> best = null;
        for (RoleConfig role : governing) {
            Optional<T> value = getter.apply(role.limits());
            if (value.isPresent() && (best == null || value.get().compareTo(best.value()) < 0)) {
                best = new Limit<>(value.get(), key, LimitSource.role(role.name()));
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Reject beats clamp. A role votes when it sets max_time_range (its on_exceed defaulting to reject) or
     * on_exceed; without any vote the answer is reject, the safe default.
     */
    private static Limit<OnExceed> onExceed(
            List<RoleConfig> governing, LimitSettings overrides, LimitSource override, LimitSource rangeSource) {
        if (overrides.onExceed().isPresent()) {
            return new Limit<>(overrides.onExceed().get(), "on_exceed", override);
        }
        Limit<OnExceed> best = null;
        for (RoleConfig role : governing) {
            LimitSettings limits = role.limits();
            if (limits.maxTimeRange().isEmpty() && limits.onExceed().isEmpty()) {
                continue;
            }
            OnExceed vote = limits.onExceed().orElse(OnExceed.REJECT);
            if (best == null || (vote == OnExceed.REJECT && best.value() == OnExceed.CLAMP)) {
                best = new Limit<>(vote, "on_exceed", LimitSource.role(role.name()));
            }
        }
        if (best == null) {
            return new Limit<>(OnExceed.REJECT, "on_exceed", rangeSource);
        }
        return best;
    }

    private static Optional<Limit<Boolean>> requireTimeFilter(
            List<RoleConfig> governing, LimitSettings overrides, LimitSource override) {
        if (overrides.requireTimeFilter().isPresent()) {
            return Optional.of(new Limit<>(overrides.requireTimeFilter().get(), "require_time_filter", override));
        }
        return governing.stream()
                .filter(r -> r.limits().requireTimeFilter().orElse(false))
                .findFirst()
                .map(r -> new Limit<>(true, "require_time_filter", LimitSource.role(r.name())));
    }
}
