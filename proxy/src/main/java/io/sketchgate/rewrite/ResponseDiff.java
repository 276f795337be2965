package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * How a rewritten response differs from Elasticsearch's for the same search: keys or array lengths that differ
 * ({@link #structure}), and numbers that differ ({@link #numbers}), ignoring what only measures the run
 * ({@code took}, {@code _shards}, {@code num_reduce_phases}). Used by shadow mode's log lines and by tests.
 */
public record ResponseDiff(List<String> structure, List<NumberDiff> numbers) {
    private static final Set<String> IGNORED = Set.of("took", "_shards", "num_reduce_phases");

    public ResponseDiff {
        structure = List.copyOf(structure);
        numbers = List.copyOf(numbers);
    }

    /** @param path like {@code aggregations.0.buckets[3].1.value} */
    public record NumberDiff(String path, double elasticsearch, double rewritten) {
        public double relative() {
            double base = Math.max(Math.abs(elasticsearch), 1);
            return Math.abs(rewritten - elasticsearch) / base;
        }

        public boolean isDocCount() {
            return path.endsWith("doc_count") || path.contains("hits.total");
        }
    }

    public static ResponseDiff compare(JsonNode elasticsearch, JsonNode rewritten) {
        List<String> structure = new ArrayList<>();
        List<NumberDiff> numbers = new ArrayList<>();
        walk("", elasticsearch, rewritten, structure, numbers);
        return new ResponseDiff(structure, numbers);
    }

    public boolean sameStructure() {
        return structure.isEmpty();
    }

    /** Doc counts (the PV) must be equal; only cardinality values may differ. */
    public boolean docCountsEqual() {
        return numbers.stream().noneMatch(NumberDiff::isDocCount);
    }

    public double maxRelativeDifference() {
        return numbers.stream().mapToDouble(NumberDiff::relative).max().orElse(0);
    }

    /** One line for the log. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(structure.size())
                .append(" structural, ")
                .append(numbers.size())
                .append(" numeric differences");
        if (!numbers.isEmpty()) {
            text.append(String.format(java.util.Locale.ROOT, ", max relative %.4f", maxRelativeDifference()));
        }
        structure.stream().limit(3).forEach(s -> text.append("; ").append(s));
        numbers.stream()
                .limit(5)
                .forEach(n -> text.append("; ")
                        .append(n.path())
                        .append(": es=")
                        .append(format(n.elasticsearch()))
                        .append(" sketchgate=")
                        .append(format(n.rewritten())));
        return text.toString();
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static void walk(
            String path, JsonNode es, JsonNode ours, List<String> structure, List<NumberDiff> numbers) {
        if (es.isObject() && ours.isObject()) {
            List<String> esKeys = new ArrayList<>();
            es.fieldNames().forEachRemaining(esKeys::add);
            List<String> ourKeys = new ArrayList<>();
            ours.fieldNames().forEachRemaining(ourKeys::add);
            for (String key : esKeys) {
                if (IGNORED.contains(key)) {
                    continue;
                }
                if (!ours.has(key)) {
                    structure.add(join(path, key) + " missing");
                } else {
                    walk(join(path, key), es.get(key), ours.get(key), structure, numbers);
                }
            }
            for (String key : ourKeys) {
                if (!es.has(key) && !IGNORED.contains(key)) {
                    structure.add(join(path, key) + " not in Elasticsearch's response");
                }
            }
            List<String> esOrder = esKeys.stream()
                    .filter(ourKeys::contains)
                    .filter(k -> !IGNORED.contains(k))
                    .toList();
            List<String> ourOrder = ourKeys.stream()
                    .filter(esKeys::contains)
                    .filter(k -> !IGNORED.contains(k))
                    .toList();
            if (!esOrder.equals(ourOrder)) {
                structure.add((path.isEmpty() ? "(root)" : path) + " key order " + ourOrder + " instead of " + esOrder);
            }
            return;
        }
        if (es.isArray() && ours.isArray()) {
            if (es.size() != ours.size()) {
                structure.add(path + " has " + ours.size() + " items instead of " + es.size());
            }
            for (int i = 0; i < Math.min(es.size(), ours.size()); i++) {
                walk(path + "[" + i + "]", es.get(i), ours.get(i), structure, numbers);
            }
            return;
        }
        if (es.isNumber() && ours.isNumber()) {
            if (es.asDouble() != ours.asDouble()) {
                numbers.add(new NumberDiff(path, es.asDouble(), ours.asDouble()));
            }
            return;
        }
        if (es.getNodeType() != ours.getNodeType() || !es.equals(ours)) {
            structure.add(path + " is " + ours + " instead of " + es);
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
