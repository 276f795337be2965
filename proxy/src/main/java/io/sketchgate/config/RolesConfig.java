package io.sketchgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code roles:} section: role name to {@link RoleConfig}, in file order.
 *
 * <p>Role names are letters, digits, {@code _}, {@code -} and {@code .}, starting with a letter, digit or
 * {@code _}: they travel in {@code X-Sketchgate-Roles} as a comma-separated list and come from Elasticsearch
 * role mappings, so commas, spaces and quotes are kept out.
 */
public record RolesConfig(Map<String, RoleConfig> roles) {
    public static final RolesConfig NONE = new RolesConfig(Map.of());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    public RolesConfig {
        roles = Collections.unmodifiableMap(new LinkedHashMap<>(roles));
    }

    public Optional<RoleConfig> role(String name) {
        return Optional.ofNullable(roles.get(name));
    }

    static RolesConfig read(ConfigSection section) {
        Map<String, RoleConfig> roles = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigValue> entry : section.entries().entrySet()) {
            String name = entry.getKey();
            ConfigValue value = entry.getValue();
            boolean validName = NAME.matcher(name).matches();
            if (!validName) {
                value.problemWithoutValue("is not a valid role name; use letters, digits, _, - and . (at most 100,"
                        + " starting with a letter, digit or _)");
            }
            Optional<ConfigSection> role = value.section();
            if (role.isEmpty()) {
                continue;
            }
            List<IndexPattern> indices = readIndices(role.get());
            LimitSettings limits = LimitSettings.read(role.get(), false);
            if (validName) {
                roles.put(name, new RoleConfig(name, indices, limits));
            }
        }
        return new RolesConfig(roles);
    }

    private static List<IndexPattern> readIndices(ConfigSection role) {
        Optional<ConfigValue> value = role.value("indices");
        if (value.isEmpty()) {
            return RoleConfig.EVERY_INDEX;
        }
        if (value.get().isEmptyList()) {
            value.get()
                    .problem("must list at least one index pattern, like [\"weblogs-*\"];"
                            + " leave the key out to govern every index");
            return RoleConfig.EVERY_INDEX;
        }
        List<IndexPattern> patterns = new ArrayList<>();
        for (ConfigValue item : value.get().list().orElse(List.of())) {
            item.string()
                    .ifPresent(text -> IndexPattern.configProblem(text).ifPresentOrElse(item::problem, () -> {
                        IndexPattern pattern = IndexPattern.of(text);
                        if (patterns.contains(pattern)) {
                            item.problem("is listed twice");
                        } else {
                            patterns.add(pattern);
                        }
                    }));
        }
        return patterns.isEmpty() ? RoleConfig.EVERY_INDEX : patterns;
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        roles.forEach((name, role) -> tree.put(name, role.toYamlTree()));
        return tree;
    }
}
