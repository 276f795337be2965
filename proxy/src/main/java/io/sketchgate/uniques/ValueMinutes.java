package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import java.util.Base64;
import java.util.Optional;

/**
 * The values of a stored granule kept as an exact set, each with the first and the last minute of the granule in
 * which it had an event ({@code value_minutes}: two bytes per value, in the order of the sketch's ascending
 * hashes). A cut of the granule then splits its values three ways without reading the source:
 * <ul>
 *   <li><b>inside</b>: its first or its last minute lies wholly inside the cut, so it had an event there;</li>
 *   <li><b>outside</b>: all its events are in minutes wholly before or after the cut;</li>
 *   <li><b>uncertain</b>: events before and after the cut, or in a minute the cut splits.</li>
 * </ul>
 * A cut from the granule's start, or to its end, on a whole minute leaves nothing uncertain: the values of
 * {@code [start, m)} are those whose first minute is before m, those of {@code [m, end)} those whose last is m
 * or later. So an edge on a whole minute is exact.
 */
final class ValueMinutes implements GranuleCuts {
    private static final long STEP = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    private final long[] hashes;
    private final byte[] steps;

    private ValueMinutes(long[] hashes, byte[] steps) {
        this.hashes = hashes;
        this.steps = steps;
    }

    /**
     * The minutes of a stored sketch's values; empty when the document keeps none (a sketch with registers, a
     * document written by the tailer) or they do not fit the sketch, which then counts as a whole granule.
     */
    static Optional<ValueMinutes> of(HllSketch sketch, JsonNode field) {
        if (!sketch.isExact() || !field.isTextual()) {
            return Optional.empty();
        }
        long[] hashes = sketch.exactHashes();
        byte[] steps;
        try {
            steps = Base64.getDecoder().decode(field.asText());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (steps.length != hashes.length * 2) {
            return Optional.empty();
        }
        for (int i = 0; i < hashes.length; i++) {
            if (Byte.toUnsignedInt(steps[2 * i]) > Byte.toUnsignedInt(steps[2 * i + 1])) {
                return Optional.empty();
            }
        }
        return Optional.of(new ValueMinutes(hashes, steps));
    }

    /** The inside values, and the uncertain ones; both exact sets at the definition's precision. */
    @Override
    public Cut cut(long from, long to, long length, int precision) {
        // the values come in ascending hash order, and so do both parts: sketches made as they are, no hash table
        long[] inside = new long[hashes.length];
        long[] uncertain = new long[hashes.length];
        int insideCount = 0;
        int uncertainCount = 0;
        for (int i = 0; i < hashes.length; i++) {
            long first = Byte.toUnsignedInt(steps[2 * i]);
            long last = Byte.toUnsignedInt(steps[2 * i + 1]);
            if ((last + 1) * STEP <= from || first * STEP >= to) {
                continue;
            }
            if (whollyInside(first, from, to) || whollyInside(last, from, to)) {
                inside[insideCount++] = hashes[i];
            } else {
                uncertain[uncertainCount++] = hashes[i];
            }
        }
        return new Cut(
                HllSketch.ofAscendingHashes(precision, inside, insideCount),
                HllSketch.ofAscendingHashes(precision, uncertain, uncertainCount));
    }

    @Override
    public long memoryBytes() {
        return 48L + 8L * hashes.length + steps.length;
    }

    private static boolean whollyInside(long minute, long from, long to) {
        return minute * STEP >= from && (minute + 1) * STEP <= to;
    }
}
