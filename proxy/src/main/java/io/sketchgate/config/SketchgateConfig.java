package io.sketchgate.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
        IdentityConfig identity,
        UsersConfig users,
        RolesConfig roles,
        IndexTimeFieldsConfig indexTimeFields,
        UniqueCountsConfig uniqueCounts,
        RuntimeLimitsConfig runtimeLimits,
        UsageConfig usage,
        MetricsConfig metrics,
        UvCacheConfig uvCache) {

    public SketchgateConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(accessLog, "accessLog");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(indexTimeFields, "indexTimeFields");
        Objects.requireNonNull(uniqueCounts, "uniqueCounts");
        Objects.requireNonNull(runtimeLimits, "runtimeLimits");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(uvCache, "uvCache");
    }

    /** The proxy alone: identity off, no users, roles or time fields — as tests of the proxy build it. */
    public SketchgateConfig(
            Path source,
            ListenersConfig listeners,
            ElasticsearchConfig elasticsearch,
            LimitsConfig limits,
            AccessLogConfig accessLog) {
        this(
                source,
                listeners,
                elasticsearch,
                limits,
                accessLog,
                IdentityConfig.OFF,
                UsersConfig.NONE,
                RolesConfig.NONE,
                IndexTimeFieldsConfig.NONE,
                UniqueCountsConfig.NONE,
                RuntimeLimitsConfig.DEFAULTS,
                UsageConfig.DEFAULT,
                MetricsConfig.DEFAULT,
                UvCacheConfig.DEFAULT);
    }

    /** The top level of the file: one section per record. A new section is one more line here. */
    static SketchgateConfig read(Path source, ConfigSection root) {
        ListenersConfig listeners = ListenersConfig.read(root.section("listeners"));
        ElasticsearchConfig elasticsearch = ElasticsearchConfig.read(root.section("elasticsearch"));
        LimitsConfig limits = LimitsConfig.read(root.section("limits"));
        AccessLogConfig accessLog = AccessLogConfig.read(root.section("access_log"));
        Optional<ConfigSection> identity = root.optionalSection("identity");
        // identity's static source needs the users, so they are read first
        UsersConfig users = UsersConfig.read(root.section("users"));
        RolesConfig roles = RolesConfig.read(root.section("roles"));
        IndexTimeFieldsConfig indexTimeFields = IndexTimeFieldsConfig.read(root.section("index_time_fields"));
        UniqueCountsConfig uniqueCounts = UniqueCountsConfig.read(root, "unique_counts");
        RuntimeLimitsConfig runtimeLimits = RuntimeLimitsConfig.read(root.section("runtime_limits"));
        UsageConfig usage = UsageConfig.read(root.section("usage"));
        MetricsConfig metrics = MetricsConfig.read(root.section("metrics"));
        UvCacheConfig uvCache = UvCacheConfig.read(root.section("uv_cache"));
        return new SketchgateConfig(source, listeners, elasticsearch, limits, accessLog)
                .withIdentity(IdentityConfig.read(identity, users), users)
                .withRoles(roles, indexTimeFields)
                .withUniqueCounts(uniqueCounts)
                .withRuntimeLimits(runtimeLimits)
                .withMonitoring(usage, metrics)
                .withUvCache(uvCache);
    }

    /** A copy with other identity settings, for tests and for callers that build a config in code. */
    public SketchgateConfig withIdentity(IdentityConfig identity, UsersConfig users) {
        Copy copy = new Copy(this);
        copy.identity = identity;
        copy.users = users;
        return copy.build();
    }

    /** A copy with other roles and time fields, for tests and for callers that build a config in code. */
    public SketchgateConfig withRoles(RolesConfig roles, IndexTimeFieldsConfig indexTimeFields) {
        Copy copy = new Copy(this);
        copy.roles = roles;
        copy.indexTimeFields = indexTimeFields;
        return copy.build();
    }

    /** A copy with other unique-count definitions, for tests and for callers that build a config in code. */
    public SketchgateConfig withUniqueCounts(UniqueCountsConfig uniqueCounts) {
        Copy copy = new Copy(this);
        copy.uniqueCounts = uniqueCounts;
        return copy.build();
    }

    /** A copy with other run-time limit settings, for tests and for callers that build a config in code. */
    public SketchgateConfig withRuntimeLimits(RuntimeLimitsConfig runtimeLimits) {
        Copy copy = new Copy(this);
        copy.runtimeLimits = runtimeLimits;
        return copy.build();
    }

    /** A copy with other usage and metrics settings, for tests and for callers that build a config in code. */
    public SketchgateConfig withMonitoring(UsageConfig usage, MetricsConfig metrics) {
        Copy copy = new Copy(this);
        copy.usage = usage;
        copy.metrics = metrics;
        return copy.build();
    }

    /** A copy with other {@code uv_cache} settings. */
    public SketchgateConfig withUvCache(UvCacheConfig uvCache) {
        Copy copy = new Copy(this);
        copy.uvCache = uvCache;
        return copy.build();
    }

    /** The sections as fields to replace: the one place, besides the defaults above, that lists them all. */
    private static final class Copy {
        private final Path source;
        private final ListenersConfig listeners;
        private final ElasticsearchConfig elasticsearch;
        private final LimitsConfig limits;
        private final AccessLogConfig accessLog;
        private IdentityConfig identity;
        private UsersConfig users;
        private RolesConfig roles;
        private IndexTimeFieldsConfig indexTimeFields;
        private UniqueCountsConfig uniqueCounts;
        private RuntimeLimitsConfig runtimeLimits;
        private UsageConfig usage;
        private MetricsConfig metrics;
        private UvCacheConfig uvCache;

        Copy(SketchgateConfig of) {
            source = of.source;
            listeners = of.listeners;
            elasticsearch = of.elasticsearch;
            limits = of.limits;
            accessLog = of.accessLog;
            identity = of.identity;
            users = of.users;
            roles = of.roles;
            indexTimeFields = of.indexTimeFields;
            uniqueCounts = of.uniqueCounts;
            runtimeLimits = of.runtimeLimits;
            usage = of.usage;
            metrics = of.metrics;
            uvCache = of.uvCache;
        }

        SketchgateConfig build() {
            return new SketchgateConfig(
                    source,
                    listeners,
                    elasticsearch,
                    limits,
                    accessLog,
                    identity,
                    users,
                    roles,
                    indexTimeFields,
                    uniqueCounts,
                    runtimeLimits,
                    usage,
                    metrics,
                    uvCache);
        }
    }

    /** The resolved config in the file's own key names, for {@link ConfigPrinter}. */
    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("listeners", listeners.toYamlTree());
        tree.put("elasticsearch", elasticsearch.toYamlTree());
        tree.put("limits", limits.toYamlTree());
        tree.put("access_log", accessLog.toYamlTree());
        // Optional sections are printed only when configured, so a file without them prints back as it was.
        if (identity.enabled()) {
            tree.put("identity", identity.toYamlTree());
        }
        if (!users.users().isEmpty()) {
            tree.put("users", users.toYamlTree());
        }
        if (!roles.roles().isEmpty()) {
            tree.put("roles", roles.toYamlTree());
        }
        if (!indexTimeFields.fields().isEmpty()) {
            tree.put("index_time_fields", indexTimeFields.toYamlTree());
        }
        if (!uniqueCounts.definitions().isEmpty()) {
            tree.put("unique_counts", uniqueCounts.toYamlTree());
        }
        if (!runtimeLimits.equals(RuntimeLimitsConfig.DEFAULTS)) {
            tree.put("runtime_limits", runtimeLimits.toYamlTree());
        }
        if (!usage.equals(UsageConfig.DEFAULT)) {
            tree.put("usage", usage.toYamlTree());
        }
        if (!metrics.equals(MetricsConfig.DEFAULT)) {
            tree.put("metrics", metrics.toYamlTree());
        }
        if (!uvCache.equals(UvCacheConfig.DEFAULT)) {
            tree.put("uv_cache", uvCache.toYamlTree());
        }
        return tree;
    }
}
