package io.sketchgate.uniques;

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
        Varints.Writer out = new Varints.Writer(steps.length * 2);
        for (long step : steps) {
            if (step < 0) {
                throw new IllegalArgumentException("negative page views in pv_by_minute: " + step);
            }
            out.write(step);
        }
        return new PageViewSteps(out.toArray(), steps.length);
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
        Varints.Reader reader = new Varints.Reader(varints, Varints.MAX_BYTES);
        for (int step = 0; step < to; step++) {
            long value = reader.next();
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
