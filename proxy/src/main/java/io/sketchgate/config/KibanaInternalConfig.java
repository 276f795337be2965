package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code identity.kibana_internal}: the users Kibana's own background work runs as, and the one role they get
 * instead of whatever their source gave them.
 */
public record KibanaInternalConfig(List<String> users, String role) {
    public static final KibanaInternalConfig DEFAULT = new KibanaInternalConfig(List.of("kibana_system"), "kibana_internal");

    public KibanaInternalConfig {
        users = List.copyOf(users);
        Objects.requireNonNull(role, "role");
    }

    static KibanaInternalConfig read(ConfigSection section) {
        List<String> users = section.value("users").flatMap(ConfigValue::list)
                .map(items -> items.stream().flatMap(item -> item.string().stream()).distinct().toList())
                .orElse(DEFAULT.users());
        String role = section.value("role").flatMap(RoleNames::role).orElse(DEFAULT.role());
        return new KibanaInternalConfig(users, role);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("users", users);
        tree.put("role", role);
        return tree;
    }
}
