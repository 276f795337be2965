package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.hll.HllSketch;
import java.util.Base64;
import java.util.Optional;

/**
 * The values of a stored granule kept as an exact set, each with the first and the last minute of the granule in
 * which it had an event ({@code value_minutes}: two bytes per value, in the order of the sketch's ascending
 * hashes), and, in documents written since, the millisecond within each of those minutes ({@code value_millis}:
 * four bytes per value). A cut of the granule then splits its values three ways without reading the source:
 * <ul>
 *   <li><b>inside</b>: its first or its last event lies inside the cut;</li>
 *   <li><b>outside</b>: all its events are before or after the cut;</li>
 *   <li><b>uncertain</b>: events before and after the cut, none known inside it.</li>
 * </ul>
 * A cut from the granule's start, or to its end, leaves nothing uncertain: the values of {@code [start, t)} are
 * those whose first event is before t, those of {@code [t, end)} those whose last is at t or later. So an edge is
 * exact to the millisecond with {@code value_millis}, and on a whole minute without them (where a minute the cut
 * splits leaves the values whose first or last event is in it uncertain).
 */
final class ValueMinutes implements GranuleCuts {
    private static final long STEP = UniqueCountDefinition.FINE_PV_STEP.toMillis();

    /** The sketch's own ascending hashes, shared with it (a copy held every cached granule's values twice). */
    private final long[] hashes;

    private final byte[] steps;
    /** Four bytes per value, or null when the document keeps minutes only. */
    private final byte[] millis;

    private ValueMinutes(long[] hashes, byte[] steps, byte[] millis) {
        this.hashes = hashes;
        this.steps = steps;
        this.millis = millis;
    }

    /**
     * The minutes of a stored sketch's values; empty when the document keeps none (a sketch with registers, a
     * document written by the tailer) or they do not fit the sketch, which then counts as a whole granule. Their
     * milliseconds when {@code millisField} holds them and they fit the minutes, else minutes alone.
     */
    static Optional<ValueMinutes> of(HllSketch sketch, JsonNode minutesField, JsonNode millisField) {
        if (!sketch.isExact() || !minutesField.isTextual()) {
            return Optional.empty();
        }
        long[] hashes = sketch.exactHashesShared(); // only read; held as long as the sketch beside it
        byte[] steps = decode(minutesField, hashes.length * 2).orElse(null);
        if (steps == null) {
            return Optional.empty();
        }
        for (int i = 0; i < hashes.length; i++) {
            if (Byte.toUnsignedInt(steps[2 * i]) > Byte.toUnsignedInt(steps[2 * i + 1])) {
                return Optional.empty();
            }
        }
        byte[] millis = decode(millisField, hashes.length * 4)
                .filter(decoded -> fit(steps, decoded))
                .orElse(null);
        return Optional.of(new ValueMinutes(hashes, steps, millis));
    }

    /** Whether these minutes had their milliseconds kept ({@code value_millis}). */
    boolean hasMillis() {
        return millis != null;
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
            if (millis != null) {
                long firstAt = first * STEP + unsignedShort(millis, 4 * i);
                long lastAt = last * STEP + unsignedShort(millis, 4 * i + 2);
                if (lastAt < from || firstAt >= to) {
                    continue;
                }
                if (firstAt >= from || lastAt < to) { // the first or the last event inside
                    inside[insideCount++] = hashes[i];
                } else {
                    uncertain[uncertainCount++] = hashes[i];
                }
                continue;
            }
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
                HllSketch.ofAscendingHashes(precision, uncertain, uncertainCount),
                to - from,
                length);
    }

    /** Bytes held besides the sketch's, whose hashes these share: the minutes and their milliseconds. */
    @Override
    public long memoryBytes() {
        return 48L + (16L + steps.length) + (millis == null ? 0 : 16L + millis.length); // object, then arrays
    }

    private static boolean whollyInside(long minute, long from, long to) {
        return minute * STEP >= from && (minute + 1) * STEP <= to;
    }

    private static Optional<byte[]> decode(JsonNode field, int length) {
        if (!field.isTextual()) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(field.asText());
            return bytes.length == length ? Optional.of(bytes) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Each millisecond within its minute, and a value's first event not after its last. */
    private static boolean fit(byte[] steps, byte[] millis) {
        for (int i = 0; i < steps.length / 2; i++) {
            int firstMs = unsignedShort(millis, 4 * i);
            int lastMs = unsignedShort(millis, 4 * i + 2);
            if (firstMs >= STEP || lastMs >= STEP || (steps[2 * i] == steps[2 * i + 1] && firstMs > lastMs)) {
                return false;
            }
        }
        return true;
    }

    private static int unsignedShort(byte[] bytes, int at) {
        return (Byte.toUnsignedInt(bytes[at]) << 8) | Byte.toUnsignedInt(bytes[at + 1]);
    }
}
