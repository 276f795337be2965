package io.sketchgate.policy;

import java.util.function.Supplier;

/**
 * The rules in force with Sketchgate's built-in roles added (the Kibana internal role, see
 * {@link KibanaInternalAccess}) unless the rules define them. Run-time changes swap the snapshot the source returns,
 * so the addition is made per snapshot, and only once for each: requests read the same derived instance until the
 * next swap.
 */
public final class BuiltInRoles implements Supplier<LimitRules> {
    private record Derived(LimitRules source, LimitRules withBuiltIns) {}

    private final Supplier<LimitRules> source;
    private final KibanaInternalAccess kibanaInternal;
    private volatile Derived last;

    public BuiltInRoles(Supplier<LimitRules> source, KibanaInternalAccess kibanaInternal) {
        this.source = source;
        this.kibanaInternal = kibanaInternal;
    }

    @Override
    public LimitRules get() {
        LimitRules current = source.get();
        Derived derived = last;
        if (derived == null || derived.source() != current) {
            derived = new Derived(current, derive(current));
            last = derived; // a race builds the same value twice, harmlessly
        }
        return derived.withBuiltIns();
    }

    private LimitRules derive(LimitRules rules) {
        var roles = kibanaInternal.withBuiltInRole(rules.roles());
        if (roles == rules.roles()) {
            return rules;
        }
        return new LimitRules(
                roles, rules.userOverrides(), rules.roleOrigins(), rules.overrideOrigins(), new LimitResolver(roles));
    }
}
