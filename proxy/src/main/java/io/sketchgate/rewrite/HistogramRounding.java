package io.sketchgate.rewrite;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;

/**
 * The bucket keys of Elasticsearch's {@code date_histogram}, as its {@code Rounding} computes them:
 * <ul>
 *   <li>{@code fixed_interval}: the local time (UTC plus the zone's offset at that instant) is floored to a
 *       multiple of the interval and converted back; when that local time does not exist (a DST gap) the key is
 *       the transition, and a rounding that would cross the previous transition rounds the instant before it
 *       instead ({@code TimeIntervalRounding});</li>
 *   <li>{@code calendar_interval} of a day or longer: the start of the local day, ISO week (Monday), month,
 *       quarter or year; of an hour or minute: the local clock floored to it, keeping the instant's offset;</li>
 *   <li>{@code offset}: {@code round(t - offset) + offset}.</li>
 * </ul>
 * {@link #next} is the smallest key after a key, which is how Elasticsearch steps when it fills empty buckets.
 */
abstract sealed class HistogramRounding {
    final ZoneId zone;
    final long offsetMillis;

    private HistogramRounding(ZoneId zone, long offsetMillis) {
        this.zone = zone;
        this.offsetMillis = offsetMillis;
    }

    static HistogramRounding fixed(Duration interval, ZoneId zone, long offsetMillis) {
        return new Fixed(interval.toMillis(), zone, offsetMillis);
    }

    static HistogramRounding calendar(CalendarUnit unit, ZoneId zone, long offsetMillis) {
        return new Calendar(unit, zone, offsetMillis);
    }

    final long round(long utcMillis) {
        return roundWithoutOffset(utcMillis - offsetMillis) + offsetMillis;
    }

    final long next(long key) {
        return nextWithoutOffset(key - offsetMillis) + offsetMillis;
    }

    /** The nominal length of a bucket, to compare with the definition's granularity. */
    abstract Duration nominalLength();

    abstract long roundWithoutOffset(long utcMillis);

    abstract long nextWithoutOffset(long key);

    ZoneId zone() {
        return zone;
    }

    static final class Fixed extends HistogramRounding {
        private final long interval;

        Fixed(long interval, ZoneId zone, long offsetMillis) {
            super(zone, offsetMillis);
            this.interval = interval;
        }

        @Override
        Duration nominalLength() {
            return Duration.ofMillis(interval);
        }

        @Override
        long roundWithoutOffset(long utcMillis) {
            Instant instant = Instant.ofEpochMilli(utcMillis);
            long local = utcMillis + zone.getRules().getOffset(instant).getTotalSeconds() * 1000L;
            long roundedLocal = Math.floorDiv(local, interval) * interval;
            LocalDateTime localTime = LocalDateTime.ofInstant(Instant.ofEpochMilli(roundedLocal), ZoneOffset.UTC);
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(localTime);
            if (offsets.isEmpty()) {
                return zone.getRules().getTransition(localTime).getInstant().toEpochMilli(); // in a gap
            }
            ZoneOffsetTransition previous = zone.getRules().previousTransition(instant.plusMillis(1));
            for (int i = offsets.size() - 1; i >= 0; i--) {
                Instant candidate = localTime.atOffset(offsets.get(i)).toInstant();
                if (previous != null && candidate.isBefore(previous.getInstant())) {
                    return roundWithoutOffset(previous.getInstant().toEpochMilli() - 1);
                }
                if (!instant.isBefore(candidate)) {
                    return candidate.toEpochMilli();
                }
            }
            return localTime.atOffset(offsets.get(0)).toInstant().toEpochMilli();
        }

        @Override
        long nextWithoutOffset(long key) {
            long candidate = key + interval;
            long rounded = roundWithoutOffset(candidate);
            while (rounded <= key) { // a long local day (DST ends) rounds back into this bucket
                candidate += Math.max(interval / 4, 1);
                rounded = roundWithoutOffset(candidate);
            }
            while (roundWithoutOffset(rounded - 1) > key) { // stepped over a short bucket
                rounded = roundWithoutOffset(rounded - 1);
            }
            return rounded;
        }
    }

    /** Elasticsearch's single-unit {@code calendar_interval}s. */
    enum CalendarUnit {
        MINUTE(Duration.ofMinutes(1)),
        HOUR(Duration.ofHours(1)),
        DAY(Duration.ofDays(1)),
        WEEK(Duration.ofDays(7)),
        MONTH(Duration.ofDays(28)),
        QUARTER(Duration.ofDays(90)),
        YEAR(Duration.ofDays(365));

        /** The shortest a bucket of this unit can be (ignoring DST), to compare with a granularity. */
        final Duration shortest;

        CalendarUnit(Duration shortest) {
            this.shortest = shortest;
        }

        boolean dayOrLonger() {
            return compareTo(DAY) >= 0;
        }
    }

    static final class Calendar extends HistogramRounding {
        private final CalendarUnit unit;

        Calendar(CalendarUnit unit, ZoneId zone, long offsetMillis) {
            super(zone, offsetMillis);
            this.unit = unit;
        }

        @Override
        Duration nominalLength() {
            return unit.shortest;
        }

        @Override
        long roundWithoutOffset(long utcMillis) {
            Instant instant = Instant.ofEpochMilli(utcMillis);
            if (!unit.dayOrLonger()) {
                long offset = zone.getRules().getOffset(instant).getTotalSeconds() * 1000L;
                long size = unit.shortest.toMillis();
                return Math.floorDiv(utcMillis + offset, size) * size - offset;
            }
            return startOf(truncate(LocalDate.ofInstant(instant, zone)));
        }

        @Override
        long nextWithoutOffset(long key) {
            if (!unit.dayOrLonger()) {
                long size = unit.shortest.toMillis();
                long rounded = roundWithoutOffset(key + size);
                while (rounded <= key) {
                    rounded = roundWithoutOffset(rounded + size);
                }
                return rounded;
            }
            LocalDate first = truncate(LocalDate.ofInstant(Instant.ofEpochMilli(key), zone));
            LocalDate next = switch (unit) {
                case DAY -> first.plusDays(1);
                case WEEK -> first.plusWeeks(1);
                case MONTH -> first.plusMonths(1);
                case QUARTER -> first.plusMonths(3);
                default -> first.plusYears(1);
            };
            return startOf(next);
        }

        private long startOf(LocalDate date) {
            return date.atStartOfDay(zone).toInstant().toEpochMilli();
        }

        private LocalDate truncate(LocalDate date) {
            return switch (unit) {
                case DAY -> date;
                case WEEK -> date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> date.withDayOfMonth(1);
                case QUARTER -> date.withDayOfMonth(1).withMonth((date.getMonthValue() - 1) / 3 * 3 + 1);
                case YEAR -> date.withDayOfYear(1);
                default -> throw new IllegalStateException("unit " + unit);
            };
        }
    }
}
