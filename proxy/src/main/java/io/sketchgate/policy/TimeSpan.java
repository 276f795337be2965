package io.sketchgate.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The instants a search can match on an index's time field: a closed interval {@code [from, to]} at millisecond
 * resolution, where either side may be open, or the empty set.
 *
 * <p>Both bounds are inclusive, exactly as Elasticsearch turns a {@code range} on a {@code date} field into a
 * Lucene point range of inclusive {@code long} milliseconds. {@code gt: X} is therefore stored as {@code X+1ms} and
 * {@code lt: X} as {@code X-1ms}. Like Elasticsearch, {@link Long#MIN_VALUE} and {@link Long#MAX_VALUE}
 * milliseconds mean "no bound".
 *
 * <p>{@link #length(Instant)} is the distance between the bounds, so Kibana's "last 31 days"
 * ({@code gte: T-31d, lte: T}) measures exactly 31 days.
 */
public final class TimeSpan {
    private static final long OPEN_FROM = Long.MIN_VALUE;
    private static final long OPEN_TO = Long.MAX_VALUE;
    private static final TimeSpan UNBOUNDED = new TimeSpan(OPEN_FROM, OPEN_TO);
    private static final TimeSpan EMPTY = new TimeSpan(1, 0);

    private final long from;
    private final long to;

    private TimeSpan(long from, long to) {
        this.from = from;
        this.to = to;
    }

    public static TimeSpan unbounded() {
        return UNBOUNDED;
    }

    public static TimeSpan empty() {
        return EMPTY;
    }

    /** Both ends inclusive; empty when {@code from} is after {@code to}. Sub-millisecond parts are dropped. */
    public static TimeSpan between(Instant fromInclusive, Instant toInclusive) {
        return ofMillis(millis(fromInclusive, OPEN_FROM), millis(toInclusive, OPEN_TO));
    }

    public static TimeSpan atOrAfter(Instant fromInclusive) {
        return ofMillis(millis(fromInclusive, OPEN_FROM), OPEN_TO);
    }

    public static TimeSpan atOrBefore(Instant toInclusive) {
        return ofMillis(OPEN_FROM, millis(toInclusive, OPEN_TO));
    }

    static TimeSpan ofMillis(long fromInclusive, long toInclusive) {
        if (fromInclusive > toInclusive) {
            return EMPTY;
        }
        if (fromInclusive == OPEN_FROM && toInclusive == OPEN_TO) {
            return UNBOUNDED;
        }
        return new TimeSpan(fromInclusive, toInclusive);
    }

    /** Instants beyond what epoch milliseconds can hold saturate to "no bound", which only ever widens. */
    private static long millis(Instant instant, long saturated) {
        Objects.requireNonNull(instant, "instant");
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            return saturated;
        }
    }

    public boolean isEmpty() {
        return from > to;
    }

    /** Neither bound is set (and the span is not empty): the whole index may be scanned. */
    public boolean isUnbounded() {
        return from == OPEN_FROM && to == OPEN_TO;
    }

    /** Empty, or both bounds are set. */
    public boolean isBounded() {
        return isEmpty() || (from != OPEN_FROM && to != OPEN_TO);
    }

    public boolean hasLowerBound() {
        return !isEmpty() && from != OPEN_FROM;
    }

    public boolean hasUpperBound() {
        return !isEmpty() && to != OPEN_TO;
    }

    /**
     * The first instant included, or empty when there is no lower bound.
     *
     * @throws IllegalStateException for the empty span, which has no bounds; check {@link #isEmpty()} first
     */
    public Optional<Instant> from() {
        requireNotEmpty();
        return from == OPEN_FROM ? Optional.empty() : Optional.of(Instant.ofEpochMilli(from));
    }

    /**
     * The last instant included, or empty when there is no upper bound.
     *
     * @throws IllegalStateException for the empty span, which has no bounds; check {@link #isEmpty()} first
     */
    public Optional<Instant> to() {
        requireNotEmpty();
        return to == OPEN_TO ? Optional.empty() : Optional.of(Instant.ofEpochMilli(to));
    }

    private void requireNotEmpty() {
        if (isEmpty()) {
            throw new IllegalStateException("the empty time span has no bounds");
        }
    }

    long fromMillis() {
        return from;
    }

    long toMillis() {
        return to;
    }

    /** Instants in both spans: what a search with both ranges as required clauses can match. */
    public TimeSpan intersect(TimeSpan other) {
        if (isEmpty() || other.isEmpty()) {
            return EMPTY;
        }
        return ofMillis(Math.max(from, other.from), Math.min(to, other.to));
    }

    /**
     * The smallest span holding both: a superset of their union, used where any one of several clauses may match
     * ({@code should}, {@code dis_max}). The gap between two disjoint spans is counted as scanned.
     */
    public TimeSpan hull(TimeSpan other) {
        if (isEmpty()) {
            return other;
        }
        if (other.isEmpty()) {
            return this;
        }
        return ofMillis(Math.min(from, other.from), Math.max(to, other.to));
    }

    public boolean contains(TimeSpan other) {
        return other.isEmpty() || (!isEmpty() && from <= other.from && other.to <= to);
    }

    /**
     * How much time the span covers, for comparing with a role's maximum time range.
     *
     * <ul>
     *   <li>empty span: zero;</li>
     *   <li>no lower bound: unbounded ({@code Optional.empty()}), whatever the upper bound;</li>
     *   <li>a lower bound but no upper bound: measured up to {@code now} (zero if the lower bound is later), because
     *       an open end in a time-series index means "until the latest data";</li>
     *   <li>otherwise: {@code to - from}.</li>
     * </ul>
     */
    public Optional<Duration> length(Instant now) {
        if (isEmpty()) {
            return Optional.of(Duration.ZERO);
        }
        if (from == OPEN_FROM) {
            return Optional.empty();
        }
        long end = to == OPEN_TO ? millis(now, OPEN_TO) : to;
        if (end <= from) {
            return Optional.of(Duration.ZERO);
        }
        return Optional.of(Duration.ofMillis(end).minusMillis(from));
    }

    /**
     * The most recent part of this span that is at most {@code maxLength} long: the window a search is clamped to.
     * An open upper bound is taken as {@code now} (or as the lower bound, if that is later).
     */
    public TimeSpan latest(Duration maxLength, Instant now) {
        Objects.requireNonNull(maxLength, "maxLength");
        if (maxLength.isNegative()) {
            throw new IllegalArgumentException("maxLength must not be negative, was " + maxLength);
        }
        if (isEmpty()) {
            return EMPTY;
        }
        long end = to;
        if (end == OPEN_TO) {
            end = Math.max(millis(now, OPEN_TO), from);
        }
        long start;
        try {
            start = Math.subtractExact(end, maxLength.toMillis());
        } catch (ArithmeticException e) {
            start = OPEN_FROM;
        }
        return ofMillis(Math.max(start, from), end);
    }

    @Override
    public boolean equals(Object o) {
        // every empty span is the one EMPTY instance, so comparing bounds is enough
        return o instanceof TimeSpan other && from == other.from && to == other.to;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(from) * 31 + Long.hashCode(to);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "[empty]";
        }
        return (from == OPEN_FROM ? "(-inf" : "[" + Instant.ofEpochMilli(from)) + ", "
                + (to == OPEN_TO ? "+inf)" : Instant.ofEpochMilli(to) + "]");
    }
}
