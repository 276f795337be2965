package io.sketchgate.uniques;

import java.util.Base64;

/**
 * A root-subset fine granule's events, each as its millisecond from the granule's start, ascending
 * ({@code event_millis}): the page views of a cut off the minute (Kibana's {@code now-30d} is 10:37:12.345) are then
 * counted in memory instead of by a request to Elasticsearch ({@link FinePageViews}).
 *
 * <p>Stored and held as one unsigned varint per event, the gap from the event before (0 for another event in the
 * same millisecond): about two bytes an event where a 5-minute granule holds a few hundred to a few thousand. Only
 * ever counted over a range of milliseconds. Immutable.
 */
final class EventMillis {
    /** A document without the field (other levels and subsets, the tailer's, or written before it existed). */
    static final EventMillis NONE = new EventMillis(new byte[0], 0, 0);

    /** Longer than any gap inside a granule needs: a stored list with a longer one is malformed. */
    private static final int MAX_GAP_BYTES = 6;

    private final byte[] varints;
    private final long events;
    private final long spanMillis;

    private EventMillis(byte[] varints, long events, long spanMillis) {
        this.varints = varints;
        this.events = events;
        this.spanMillis = spanMillis;
    }

    static Builder builder(long spanMillis) {
        return new Builder(spanMillis);
    }

    /**
     * The field as a document stores it, checked against the document: every event inside {@code spanMillis} and as
     * many as its page views. Anything else (a truncated varint, a count that disagrees) is {@link #NONE}, so the
     * cut is counted by Elasticsearch instead, never guessed.
     */
    static EventMillis decode(String base64, long pageViews, long spanMillis) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException notBase64) {
            return NONE;
        }
        long count = 0;
        long at = 0;
        Varints.Reader gaps = new Varints.Reader(bytes, MAX_GAP_BYTES);
        while (gaps.hasNext()) {
            long gap = gaps.next();
            if (gap < 0) {
                return NONE;
            }
            at += gap;
            count++;
            if (at >= spanMillis) {
                return NONE;
            }
        }
        return count == pageViews && count > 0 ? new EventMillis(bytes, count, spanMillis) : NONE;
    }

    boolean isPresent() {
        return events > 0;
    }

    /** The length of the granule the offsets are in; 0 for {@link #NONE}. */
    long spanMillis() {
        return spanMillis;
    }

    long events() {
        return events;
    }

    /** Events whose millisecond from the granule's start is in {@code [from, to)}. */
    long count(long from, long to) {
        if (from < 0 || to > spanMillis || from > to) {
            throw new IndexOutOfBoundsException("milliseconds [" + from + ", " + to + ") of " + spanMillis);
        }
        long counted = 0;
        long at = 0;
        Varints.Reader gaps = new Varints.Reader(varints, MAX_GAP_BYTES);
        while (gaps.hasNext()) {
            at += gaps.next();
            if (at >= to) {
                break;
            }
            if (at >= from) {
                counted++;
            }
        }
        return counted;
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(varints);
    }

    /** Bytes held, for the catalogue's estimate of its memory. */
    int memoryBytes() {
        return 32 + varints.length;
    }

    /** Collects a granule's events in ascending order, as the precompute's composite rows bring them. */
    static final class Builder {
        private final long spanMillis;
        private final Varints.Writer out = new Varints.Writer(64);
        private long events;
        private long last;

        private Builder(long spanMillis) {
            this.spanMillis = spanMillis;
        }

        /** {@code count} events at {@code offset} ms from the granule's start, at or after the last one added. */
        Builder add(long offset, long count) {
            if (offset < last || offset >= spanMillis) {
                throw new IllegalArgumentException("event at " + offset + " ms after one at " + last
                        + " ms, or outside the granule's " + spanMillis + " ms");
            }
            for (long n = 0; n < count; n++) {
                out.write(n == 0 ? offset - last : 0);
            }
            last = offset;
            events += Math.max(0, count);
            return this;
        }

        long events() {
            return events;
        }

        EventMillis build() {
            return events == 0 ? NONE : new EventMillis(out.toArray(), events, spanMillis);
        }
    }
}
