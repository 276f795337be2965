package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of {@code roles:}.
 *
 * @param name    the role's name, as identity sources report it
 * @param indices the patterns whose requests this role's limits govern; {@code *} when the file leaves it out
 * @param limits  the role's limits
 */
public record RoleConfig(String name, List<IndexPattern> indices, LimitSettings limits) {
    static final List<IndexPattern> EVERY_INDEX = List.of(IndexPattern.of("*"));

    public RoleConfig {
        Objects.requireNonNull(name, "name");
        indices = List.copyOf(indices);
        Objects.requireNonNull(limits, "limits");
        if (indices.isEmpty()) {
            throw new IllegalArgumentException("a role governs at least one index pattern");
        }
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("indices", indices.stream().map(IndexPattern::text).toList());
        tree.putAll(limits.toYamlTree());
        return tree;
    }
}
