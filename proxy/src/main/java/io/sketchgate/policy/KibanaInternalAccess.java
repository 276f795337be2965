package io.sketchgate.policy;

import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.KibanaInternalConfig;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import io.sketchgate.esapi.ResolvedIndices;
import io.sketchgate.http.Identity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Kibana's internal user (its background work: task manager, alerting, reporting, saved objects) may query only
 * Kibana's own indices ({@code identity.kibana_internal.allowed_indices}), and is exempt from time-range limits there:
 * its queries are bookkeeping over saved objects and tasks, with no time filter to speak of.
 *
 * <p>The role {@code identity.kibana_internal.role} is built in: when the configuration does not define it, it
 * governs the allowed indices and sets no limit. An operator who defines it under {@code roles:} gets those limits
 * instead; the allow-list holds either way.
 *
 * <p>A query is allowed when every index it can read is allowed: names written in the request (when not wildcards),
 * every concrete index they resolve to (alias targets included, so an alias named {@code .kibana-x} on a log index
 * does not open the log index), except the backing indices of an allowed data stream. A query on every index
 * ({@code /_search}, {@code _all}) is refused unless {@code *} is allowed.
 */
public final class KibanaInternalAccess {
    static final String TYPE = "security_exception";
    private static final int LISTED_AT_MOST = 5;

    private final KibanaInternalConfig config;
    private final boolean allowsEverything;

    public KibanaInternalAccess(KibanaInternalConfig config) {
        this.config = config;
        this.allowsEverything =
                config.allowedIndices().stream().anyMatch(p -> p.text().equals("*"));
    }

    /** The configured roles, plus the built-in internal role when the configuration does not define it. */
    RolesConfig withBuiltInRole(RolesConfig roles) {
        if (roles.role(config.role()).isPresent()) {
            return roles;
        }
        Map<String, RoleConfig> all = new LinkedHashMap<>(roles.roles());
        all.put(config.role(), new RoleConfig(config.role(), config.allowedIndices(), LimitSettings.NONE));
        return new RolesConfig(all);
    }

    /**
     * A refusal when an internal identity's query reads an index outside the allowed ones.
     *
     * @param written  the request's index names as written; empty means every index
     * @param resolved what they resolve to, {@link ResolvedIndices#EMPTY} when nothing was resolved
     */
    public Optional<Rejection> check(Identity identity, List<String> written, ResolvedIndices resolved) {
        if (!identity.internal() || allowsEverything) {
            return Optional.empty();
        }
        Set<String> outside = new TreeSet<>();
        if (written.isEmpty()) {
            outside.add("_all");
        }
        for (String name : written) {
            if (!name.contains("*") && !allowed(name)) {
                outside.add(name);
            }
        }
        for (ResolvedIndices.Index index : resolved.indices()) {
            if (!allowed(index.name()) && (index.dataStream() == null || !allowed(index.dataStream()))) {
                outside.add(index.name());
            }
        }
        resolved.aliases()
                .values()
                .forEach(targets -> targets.stream().filter(t -> !allowed(t)).forEach(outside::add));
        resolved.dataStreams().values().stream()
                .filter(stream -> !allowed(stream.name()))
                .forEach(stream -> stream.backingIndices().stream()
                        .filter(b -> !allowed(b))
                        .forEach(outside::add));
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        String touched = outside.stream().limit(LISTED_AT_MOST).collect(Collectors.joining(", "))
                + (outside.size() > LISTED_AT_MOST ? " and " + (outside.size() - LISTED_AT_MOST) + " more" : "");
        return Optional.of(new Rejection(
                403,
                TYPE,
                "Kibana's internal user " + identity.user() + " (role "
                        + config.role() + ") may only query Kibana's own indices ["
                        + config.allowedIndices().stream()
                                .map(IndexPattern::text)
                                .collect(Collectors.joining(", "))
                        + "]; this request reads " + touched
                        + ". If Kibana needs these, an administrator can add them to"
                        + " identity.kibana_internal.allowed_indices in the Sketchgate configuration.",
                Optional.empty()));
    }

    private boolean allowed(String name) {
        for (IndexPattern pattern : config.allowedIndices()) {
            if (pattern.matches(name)) {
                return true;
            }
        }
        return false;
    }
}
