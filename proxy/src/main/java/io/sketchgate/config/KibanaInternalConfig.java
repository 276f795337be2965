package io.sketchgate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code identity.kibana_internal}: the users Kibana's own background work runs as, the one role they get instead of
 * whatever their source gave them, and the indices they may query at all.
 *
 * @param allowedIndices queries of these users touching any other index are refused with 403; {@code ["*"]} lets them
 *                       query everything. The default is what Kibana's server itself reads and writes (saved objects,
 *                       task manager, event log, alerts as data, reporting, Fleet, APM and ML settings, Security
 *                       Solution lists), after Elasticsearch's {@code kibana_system} role.
 */
public record KibanaInternalConfig(List<String> users, String role, List<IndexPattern> allowedIndices) {
    public static final List<IndexPattern> KIBANA_OWN_INDICES = List.of(
                    ".kibana*",
                    ".reporting-*",
                    ".apm-agent-configuration",
                    ".apm-custom-link",
                    ".apm-source-map",
                    ".fleet-*",
                    ".alerts-*",
                    ".internal.alerts-*",
                    ".preview.alerts-*",
                    ".internal.preview.alerts-*",
                    ".siem-signals-*",
                    ".lists-*",
                    ".items-*",
                    ".ml-annotations*",
                    ".ml-notifications*",
                    ".logs-endpoint.diagnostic.collection-*",
                    ".monitoring-*",
                    ".management-beats")
            .stream()
            .map(IndexPattern::of)
            .toList();
    public static final KibanaInternalConfig DEFAULT =
            new KibanaInternalConfig(List.of("kibana_system"), "kibana_internal");

    public KibanaInternalConfig {
        users = List.copyOf(users);
        Objects.requireNonNull(role, "role");
        allowedIndices = List.copyOf(allowedIndices);
        if (allowedIndices.isEmpty()) {
            throw new IllegalArgumentException("allowedIndices lists at least one pattern");
        }
    }

    public KibanaInternalConfig(List<String> users, String role) {
        this(users, role, KIBANA_OWN_INDICES);
    }

    static KibanaInternalConfig read(ConfigSection section) {
        List<String> users = section.value("users")
                .flatMap(ConfigValue::list)
                .map(items -> items.stream()
                        .flatMap(item -> item.string().stream())
                        .distinct()
                        .toList())
                .orElse(DEFAULT.users());
        String role = section.value("role").flatMap(RoleNames::role).orElse(DEFAULT.role());
        return new KibanaInternalConfig(users, role, readAllowed(section.value("allowed_indices")));
    }

    private static List<IndexPattern> readAllowed(Optional<ConfigValue> value) {
        if (value.isEmpty()) {
            return KIBANA_OWN_INDICES;
        }
        if (value.get().isEmptyList()) {
            value.get()
                    .problem("must list at least one index pattern, like [\".kibana*\"]; leave the key out for"
                            + " Kibana's own indices, or use [\"*\"] to allow every index");
            return KIBANA_OWN_INDICES;
        }
        List<IndexPattern> patterns = new ArrayList<>();
        for (ConfigValue item : value.get().list().orElse(List.of())) {
            item.string()
                    .ifPresent(text -> IndexPattern.configProblem(text).ifPresentOrElse(item::problem, () -> {
                        if (!patterns.contains(IndexPattern.of(text))) {
                            patterns.add(IndexPattern.of(text));
                        }
                    }));
        }
        return patterns.isEmpty() ? KIBANA_OWN_INDICES : patterns;
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("users", users);
        tree.put("role", role);
        if (!allowedIndices.equals(KIBANA_OWN_INDICES)) {
            tree.put(
                    "allowed_indices",
                    allowedIndices.stream().map(IndexPattern::text).toList());
        }
        return tree;
    }
}
