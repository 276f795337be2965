package io.sketchgate.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The whole validated configuration, as loaded from one YAML file by {@link ConfigLoader}.
 *
 * @param source the file it was read from, named in every error message
 */
public record SketchgateConfig(
        Path source,
        ListenersConfig listeners,
        ElasticsearchConfig elasticsearch,
        LimitsConfig limits,
        AccessLogConfig accessLog,
        RolesConfig roles,
        IndexTimeFieldsConfig indexTimeFields) {

    public SketchgateConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(indexTimeFields, "indexTimeFields");
    }

    /** A config without roles or time fields: the proxy alone, as tests of the proxy build it. */
    public SketchgateConfig(Path source, ListenersConfig listeners, ElasticsearchConfig elasticsearch,
                            LimitsConfig limits, AccessLogConfig accessLog) {
        this(source, listeners, elasticsearch, limits, accessLog, RolesConfig.NONE, IndexTimeFieldsConfig.NONE);
    }

    /** The top level of the file: one section per record. A new section is one more line here. */
    static SketchgateConfig read(Path source, ConfigSection root) {
        return new SketchgateConfig(
                source,
                ListenersConfig.read(root.section("listeners")),
                ElasticsearchConfig.read(root.section("elasticsearch")),
                LimitsConfig.read(root.section("limits")),
                AccessLogConfig.read(root.section("access_log")),
                RolesConfig.read(root.section("roles")),
                IndexTimeFieldsConfig.read(root.section("index_time_fields")));
    }

    /** The resolved config in the file's own key names, for {@link ConfigPrinter}. */
    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("listeners", listeners.toYamlTree());
        tree.put("elasticsearch", elasticsearch.toYamlTree());
        tree.put("limits", limits.toYamlTree());
        tree.put("access_log", accessLog.toYamlTree());
        // Sections that only list entries are left out when empty, as a file without them would be.
        if (!roles.roles().isEmpty()) {
            tree.put("roles", roles.toYamlTree());
        }
        if (!indexTimeFields.fields().isEmpty()) {
            tree.put("index_time_fields", indexTimeFields.toYamlTree());
        }
        return tree;
    }
}
