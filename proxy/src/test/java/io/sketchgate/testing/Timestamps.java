package io.sketchgate.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Time-series documents for the policy tests: only {@code @timestamp}, at a fixed step. */
public final class Timestamps {
    /** The mapping of an index of such documents. */
    public static final String MAPPING = "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"}}}}";

    private Timestamps() {}

    /** {@code count} documents, the first at {@code from}, each {@code step} after the one before. */
    public static List<Map<String, Object>> every(Duration step, Instant from, int count) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            docs.add(Map.of("@timestamp", from.plus(step.multipliedBy(i)).toString()));
        }
        return docs;
    }
}
