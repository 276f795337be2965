package io.sketchgate.policy;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Today's Elasticsearch time of a user against the tightest {@code daily_es_time_budget} of their roles and
 * overrides (the budget a query on every index would get), for the usage API.
 */
public final class DailyBudgets {
    private final Supplier<LimitRules> rules;
    private final Quotas quotas;

    public DailyBudgets(Supplier<LimitRules> rules, Quotas quotas) {
        this.rules = rules;
        this.quotas = quotas;
    }

    /** {@code remaining} is empty when no budget applies. */
    public record BudgetToday(Duration used, Optional<Duration> budget, Optional<Duration> remaining) {}

    public BudgetToday today(String user, Collection<String> roles) {
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
}
