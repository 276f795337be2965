package io.sketchgate.policy;

import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import io.sketchgate.config.SketchgateConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The role definitions and user overrides in force at one moment: the file's, with run-time changes laid over
 * them, and where each came from. Immutable: a change builds a new one and swaps it in whole, so a request reads
 * one consistent set without a lock (the {@link Decider} reads it once per request).
 *
 * @param roles          every role, file roles first in file order, run-time roles after
 * @param userOverrides  user name to overrides; a user without an entry has none
 * @param roleOrigins    where each role's definition comes from
 * @param overrideOrigins where each user's overrides come from
 */
public record LimitRules(
        RolesConfig roles,
        Map<String, LimitSettings> userOverrides,
        Map<String, Origin> roleOrigins,
        Map<String, Origin> overrideOrigins,
        LimitResolver resolver) {

    /** {@code file}: the config file; {@code runtime}: a change made through the admin API. */
    public enum Origin {
        FILE,
        RUNTIME;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public LimitRules {
        Objects.requireNonNull(roles, "roles");
        userOverrides = Collections.unmodifiableMap(new LinkedHashMap<>(userOverrides));
        roleOrigins = Collections.unmodifiableMap(new LinkedHashMap<>(roleOrigins));
        overrideOrigins = Collections.unmodifiableMap(new LinkedHashMap<>(overrideOrigins));
        Objects.requireNonNull(resolver, "resolver");
    }

    /** The config file's roles and overrides alone. */
    public static LimitRules fromFile(SketchgateConfig config) {
        Map<String, LimitSettings> overrides = new LinkedHashMap<>();
        config.users().users().forEach((user, settings) -> {
            if (!settings.overrides().isEmpty()) {
                overrides.put(user, settings.overrides());
            }
        });
        Map<String, Origin> roleOrigins = new LinkedHashMap<>();
        config.roles().roles().keySet().forEach(role -> roleOrigins.put(role, Origin.FILE));
        Map<String, Origin> overrideOrigins = new LinkedHashMap<>();
        overrides.keySet().forEach(user -> overrideOrigins.put(user, Origin.FILE));
        return new LimitRules(
                config.roles(), overrides, roleOrigins, overrideOrigins, new LimitResolver(config.roles()));
    }

    /** {@code base} with these run-time roles and overrides replacing (or adding to) its own, entry by entry. */
    public static LimitRules overlay(
            LimitRules base, Map<String, RoleConfig> runtimeRoles, Map<String, LimitSettings> runtimeOverrides) {
        Map<String, RoleConfig> roles = new LinkedHashMap<>(base.roles().roles());
        Map<String, Origin> roleOrigins = new LinkedHashMap<>(base.roleOrigins());
        runtimeRoles.forEach((name, role) -> {
            roles.put(name, role);
            roleOrigins.put(name, Origin.RUNTIME);
        });
        Map<String, LimitSettings> overrides = new LinkedHashMap<>(base.userOverrides());
        Map<String, Origin> overrideOrigins = new LinkedHashMap<>(base.overrideOrigins());
        runtimeOverrides.forEach((user, settings) -> {
            overrides.put(user, settings);
            overrideOrigins.put(user, Origin.RUNTIME);
        });
        RolesConfig merged = new RolesConfig(roles);
        return new LimitRules(merged, overrides, roleOrigins, overrideOrigins, new LimitResolver(merged));
    }

    /** The user's overrides, {@link LimitSettings#NONE} for none. */
    public LimitSettings overrides(String user) {
        return userOverrides.getOrDefault(user, LimitSettings.NONE);
    }

    public Optional<Origin> roleOrigin(String role) {
        return Optional.ofNullable(roleOrigins.get(role));
    }

    public Optional<Origin> overrideOrigin(String user) {
        return Optional.ofNullable(overrideOrigins.get(user));
    }

    /** Where one effective limit's value comes from. */
    public Origin originOf(LimitSource source) {
        Optional<Origin> origin =
                source.kind() == LimitSource.Kind.ROLE ? roleOrigin(source.name()) : overrideOrigin(source.name());
        return origin.orElse(Origin.FILE);
    }
}
