package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code identity.elasticsearch}: how credentials checked with {@code GET /_security/_authenticate} are cached
 * and how Elasticsearch roles become Sketchgate roles.
 *
 * @param roleMapping Elasticsearch role to Sketchgate roles; {@code "*"} maps every role not listed. Empty when
 *                    the file sets no mapping: then Elasticsearch role names are used as Sketchgate roles as they are
 */
public record EsIdentityConfig(
        Duration cacheTtl, Duration failureCacheTtl, Optional<Map<String, List<String>>> roleMapping) {
    public static final String ANY_OTHER_ROLE = "*";
    static final Duration DEFAULT_CACHE_TTL = Duration.ofMinutes(5);
    static final Duration DEFAULT_FAILURE_CACHE_TTL = Duration.ofSeconds(5);

    public static final EsIdentityConfig DEFAULT =
            new EsIdentityConfig(DEFAULT_CACHE_TTL, DEFAULT_FAILURE_CACHE_TTL, Optional.empty());

    public EsIdentityConfig {
        Objects.requireNonNull(cacheTtl, "cacheTtl");
        Objects.requireNonNull(failureCacheTtl, "failureCacheTtl");
        roleMapping = Objects.requireNonNull(roleMapping, "roleMapping").map(m -> {
            Map<String, List<String>> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            return java.util.Collections.unmodifiableMap(copy);
        });
    }

    static EsIdentityConfig read(ConfigSection section) {
        Duration cacheTtl = section.duration("cache_ttl", DEFAULT_CACHE_TTL, Duration.ZERO, Duration.ofDays(1));
        Duration failureTtl =
                section.duration("failure_cache_ttl", DEFAULT_FAILURE_CACHE_TTL, Duration.ZERO, Duration.ofMinutes(5));
        Optional<Map<String, List<String>>> mapping = section.optionalSection("role_mapping")
                .map(map -> {
                    Map<String, List<String>> result = new LinkedHashMap<>();
                    map.entries()
                            .forEach((esRole, value) ->
                                    value.list().ifPresent(items -> result.put(esRole, RoleNames.roles(items))));
                    return result;
                });
        return new EsIdentityConfig(cacheTtl, failureTtl, mapping);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("cache_ttl", Durations.format(cacheTtl));
        tree.put("failure_cache_ttl", Durations.format(failureCacheTtl));
        roleMapping.ifPresent(m -> tree.put("role_mapping", m));
        return tree;
    }
}
