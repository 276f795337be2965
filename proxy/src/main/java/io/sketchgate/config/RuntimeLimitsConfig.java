package io.sketchgate.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code runtime_limits:} section: where the admin API stores run-time role definitions and user overrides,
 * where it audits changes, and how often each proxy looks for changes made through another instance.
 *
 * @param index        the hidden index of run-time changes, one document per role or user
 * @param auditIndex   the hidden index of audit entries, one per change
 * @param pollInterval how often stored changes are read; a change reaches every instance within this time plus
 *                     one Elasticsearch refresh
 */
public record RuntimeLimitsConfig(String index, String auditIndex, Duration pollInterval) {
    public static final RuntimeLimitsConfig DEFAULTS =
            new RuntimeLimitsConfig("sketchgate-config", "sketchgate-audit", Duration.ofSeconds(1));

    /** Elasticsearch's rules for a new index name, less the names that start with a dot (system indices). */
    private static final Pattern INDEX_NAME = Pattern.compile("[a-z0-9][a-z0-9_+-]{0,199}");

    public RuntimeLimitsConfig {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(auditIndex, "auditIndex");
        Objects.requireNonNull(pollInterval, "pollInterval");
    }

    static RuntimeLimitsConfig read(ConfigSection section) {
        String index = indexName(section, "index", DEFAULTS.index());
        String audit = indexName(section, "audit_index", DEFAULTS.auditIndex());
        Duration poll = section.duration(
                "poll_interval", DEFAULTS.pollInterval(), Duration.ofMillis(100), Duration.ofMinutes(10));
        if (index.equals(audit)) {
            section.problem("audit_index", "must differ from " + section.path() + ".index");
        }
        return new RuntimeLimitsConfig(index, audit, poll);
    }

    private static String indexName(ConfigSection section, String key, String defaultValue) {
        Optional<ConfigValue> value = section.value(key);
        Optional<String> text = value.flatMap(ConfigValue::string);
        if (text.isPresent() && !INDEX_NAME.matcher(text.get()).matches()) {
            value.get()
                    .problem("must be an index name of lower-case letters, digits, _, - and +, not starting with"
                            + " _, - or +");
            return defaultValue;
        }
        return text.orElse(defaultValue);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("index", index);
        tree.put("audit_index", auditIndex);
        tree.put("poll_interval", Durations.format(pollInterval));
        return tree;
    }
}
