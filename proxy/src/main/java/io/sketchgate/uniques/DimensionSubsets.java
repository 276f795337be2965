package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import java.util.List;

/**
 * The combinations of dimension values one event counts in, shared by the batch job and the tailer so both file
 * a value under the same keys: one per subset of the definition's dimensions (2^n), with {@link BucketKey#ALL}
 * for each rolled-up dimension and {@link BucketKey#MISSING} for a dimension the event does not have.
 */
final class DimensionSubsets {
    private DimensionSubsets() {}

    static int count(UniqueCountDefinition definition) {
        return 1 << definition.dimensions().size();
    }

    /** The key of subset {@code mask}: bit i set keeps dimension i's value, else it is rolled up. */
    static List<String> key(String[] values, int mask) {
        String[] key = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            key[i] = (mask & (1 << i)) != 0 ? values[i] : BucketKey.ALL;
        }
        return List.of(key);
    }

    /** The subset a key belongs to, as {@link #key} numbers it: bit i set when dimension i keeps its value. */
    static int mask(List<String> key) {
        int mask = 0;
        for (int i = 0; i < key.size(); i++) {
            if (!key.get(i).equals(BucketKey.ALL)) {
                mask |= 1 << i;
            }
        }
        return mask;
    }

    /**
     * Dimension {@code index}'s value as read from Elasticsearch: {@link BucketKey#MISSING} for null or absent.
     *
     * @throws UniqueCountException for the reserved value {@link BucketKey#ALL}
     */
    static String value(UniqueCountDefinition definition, int index, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return BucketKey.MISSING;
        }
        String text = value.asText();
        if (text.equals(BucketKey.ALL)) {
            throw new UniqueCountException(List.of("unique_counts." + definition.name() + ".dimensions: "
                    + definition.dimensions().get(index) + " has the value \"" + BucketKey.ALL + "\", which Sketchgate"
                    + " reserves for \"every value\"; rename that value in the source"));
        }
        return text;
    }
}
