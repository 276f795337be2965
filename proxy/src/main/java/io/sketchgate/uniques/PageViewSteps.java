package io.sketchgate.uniques;

import java.util.Arrays;

/**
 * A stored piece's page views per {@link io.sketchgate.config.UniqueCountDefinition#FINE_PV_STEP}
 * ({@code pv_by_minute}), held compactly in the catalogue: one unsigned varint per step, so an hour of a sparse
 * combination (mostly zeros) costs about 60 bytes instead of 480. Only ever summed over a range of steps. Immutable.
 */
final class PageViewSteps {
    /** A document without the field (other levels, or written before it existed). */
    static final PageViewSteps NONE = new PageViewSteps(new byte[0], 0);

    private final byte[] varints;
    private final int length;

    private PageViewSteps(byte[] varints, int length) {
        this.varints = varints;
        this.length = length;
    }

    /** @throws IllegalArgumentException on a negative count */
    static PageViewSteps of(long[] steps) {
        if (steps.length == 0) {
            return NONE;
        }
        byte[] out = new byte[steps.length * 2];
        int n = 0;
        for (long step : steps) {
            if (step < 0) {
                throw new IllegalArgumentException("negative page views in pv_by_minute: " + step);
            }
            if (out.length - n < 10) {
                out = Arrays.copyOf(out, out.length * 2 + 10);
            }
            long rest = step;
            while (rest >= 0x80) {
                out[n++] = (byte) (rest | 0x80);
                rest >>>= 7;
            }
            out[n++] = (byte) rest;
        }
        return new PageViewSteps(Arrays.copyOf(out, n), steps.length);
    }

    /** Steps held: 0 for none. */
    int length() {
        return length;
    }

    /** The page views of steps {@code [from, to)}. */
    long sum(int from, int to) {
        if (from < 0 || to > length || from > to) {
            throw new IndexOutOfBoundsException("steps [" + from + ", " + to + ") of " + length);
        }
        long total = 0;
        int at = 0;
        for (int step = 0; step < to; step++) {
            long value = 0;
            int shift = 0;
            byte b;
            do {
                b = varints[at++];
                value |= (long) (b & 0x7F) << shift;
                shift += 7;
            } while (b < 0);
            if (step >= from) {
                total += value;
            }
        }
        return total;
    }

    /** Bytes held, for the catalogue's estimate of its memory. */
    int memoryBytes() {
        return 16 + varints.length;
    }
}
