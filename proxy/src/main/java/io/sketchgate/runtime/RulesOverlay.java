package io.sketchgate.runtime;

import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.policy.LimitRules;
import java.util.List;
import java.util.Map;

/**
 * The file's rules with the stored roles and overrides laid over them, rebuilt only when what is stored changed.
 * Every poll reads the whole store; most polls find it as before, and a new {@link LimitRules} would start its
 * {@link io.sketchgate.policy.LimitResolver} with an empty memo, so every user's next request would pay for a
 * resolution again. Not thread-safe: used on {@link RuntimeLimits}' own thread only.
 */
final class RulesOverlay {
    private final LimitRules base;
    private Stored last;
    private LimitRules rules;

    /** The stored entries in the order they were read (order decides the order of the merged roles). */
    private record Stored(List<Map.Entry<String, RoleConfig>> roles, List<Map.Entry<String, LimitSettings>> users) {
        static Stored of(Map<String, RoleConfig> roles, Map<String, LimitSettings> overrides) {
            return new Stored(List.copyOf(roles.entrySet()), List.copyOf(overrides.entrySet()));
        }
    }

    RulesOverlay(LimitRules base) {
        this.base = base;
        this.last = Stored.of(Map.of(), Map.of());
        this.rules = base;
    }

    /** The rules for these stored entries: the same instance as last time when they are equal, in order. */
    LimitRules rules(Map<String, RoleConfig> runtimeRoles, Map<String, LimitSettings> runtimeOverrides) {
        Stored stored = Stored.of(runtimeRoles, runtimeOverrides);
        if (!stored.equals(last)) {
            rules = LimitRules.overlay(base, runtimeRoles, runtimeOverrides);
            last = stored;
        }
        return rules;
    }
}
