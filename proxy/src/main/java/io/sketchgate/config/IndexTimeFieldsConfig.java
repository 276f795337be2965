package io.sketchgate.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code index_time_fields:} section: index pattern to the name of the time field that time-range limits
 * apply to. When several patterns match an index, the most specific one (most literal characters, see
 * {@link IndexPattern#specificity()}) decides; two patterns that can match the same index and are equally
 * specific are an error, so the answer never depends on the order of the file.
 */
public record IndexTimeFieldsConfig(Map<IndexPattern, String> fields) {
    public static final IndexTimeFieldsConfig NONE = new IndexTimeFieldsConfig(Map.of());

    public IndexTimeFieldsConfig {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    static IndexTimeFieldsConfig read(ConfigSection section) {
        Map<IndexPattern, String> fields = new LinkedHashMap<>();
        List<Map.Entry<IndexPattern, ConfigValue>> seen = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> entry : section.entries().entrySet()) {
            ConfigValue value = entry.getValue();
            Optional<String> problem = IndexPattern.configProblem(entry.getKey());
            if (problem.isPresent()) {
                value.problemWithoutValue(problem.get());
                continue;
            }
            Optional<String> field = value.string();
            if (field.isEmpty()) {
                continue;
            }
            if (field.get().isBlank() || !field.get().strip().equals(field.get())) {
                value.problem("must be a field name like @timestamp, without spaces around it");
                continue;
            }
            IndexPattern pattern = IndexPattern.of(entry.getKey());
            for (Map.Entry<IndexPattern, ConfigValue> earlier : seen) {
                IndexPattern other = earlier.getKey();
                if (other.specificity() == pattern.specificity() && other.overlaps(pattern)) {
                    value.problem("\"" + pattern + "\" and \"" + other + "\" (line "
                            + earlier.getValue().line()
                            + ") can match the same index and are equally specific, so neither decides its time field;"
                            + " make one of them more specific");
                }
            }
            seen.add(Map.entry(pattern, value));
            fields.put(pattern, field.get());
        }
        return new IndexTimeFieldsConfig(fields);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        fields.forEach((pattern, field) -> tree.put(pattern.text(), field));
        return tree;
    }
}
