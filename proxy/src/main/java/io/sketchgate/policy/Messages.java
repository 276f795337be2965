package io.sketchgate.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared wording of rejection messages, so every limit is named the same way. */
final class Messages {
    static final String RAISE = "ask an administrator to raise the limit.";

    private Messages() {}

    /**
     * The limits behind a decision, grouped by source: {@code max_concurrent and max_queue of role analyst},
     * {@code max_concurrent of role analyst, max_queue set for user alice}.
     */
    static String describe(List<Limit<?>> limits) {
        Map<LimitSource, List<String>> bySource = new LinkedHashMap<>();
        for (Limit<?> limit : limits) {
            bySource.computeIfAbsent(limit.source(), s -> new ArrayList<>()).add(limit.key());
        }
        List<String> parts = new ArrayList<>();
        bySource.forEach((source, keys) -> parts.add(source.describe(join(keys))));
        return String.join(", ", parts);
    }

    private static String join(List<String> keys) {
        if (keys.size() == 1) {
            return keys.get(0);
        }
        return String.join(", ", keys.subList(0, keys.size() - 1)) + " and " + keys.get(keys.size() - 1);
    }
}
