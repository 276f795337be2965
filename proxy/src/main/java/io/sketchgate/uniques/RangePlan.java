package io.sketchgate.uniques;

import io.sketchgate.config.Durations;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * What a precompute of {@code [from, to)} reads and writes.
 *
 * <p>Calendar buckets are exact only when computed from all their granules, so the range read is widened to
 * every day, week and month (in every zone) that {@code [from, to)} touches: {@code readFrom} is the earliest
 * start of those buckets, {@code readTo} the latest end of those that are closed. A calendar bucket is written
 * exactly when it lies inside {@code [readFrom, readTo)}; granules are written for the whole read range.
 * Recomputing a day of late data therefore also recomputes its week and month.
 */
record RangePlan(Instant from, Instant to, Instant readFrom, Instant readTo, Instant horizon) {

    /**
     * @param horizon the end of the newest closed granule: now − lateness, rounded down to the granularity
     * @throws UniqueCountException when the range is empty, not aligned or not closed
     */
    static RangePlan of(UniqueCountDefinition definition, Instant from, Instant to, Instant horizon) {
        return of(definition, from, to, horizon, "--from ", "--to ");
    }

    /** Like {@link #of(UniqueCountDefinition, Instant, Instant, Instant)}, naming the bounds as the caller spells them. */
    static RangePlan of(
            UniqueCountDefinition definition,
            Instant from,
            Instant to,
            Instant horizon,
            String fromName,
            String toName) {
        Duration granularity = definition.granularity();
        String g = Durations.format(granularity);
        List<String> problems = new ArrayList<>();
        if (!from.isBefore(to)) {
            problems.add(fromName + from + " must be before " + toName + to);
        }
        for (Instant bound : List.of(from, to)) {
            Instant aligned = Level.granuleStart(bound, granularity);
            if (!aligned.equals(bound)) {
                problems.add((bound == from ? fromName : toName) + bound + " is not on a " + g + " boundary of \""
                        + definition.name() + "\"; use " + aligned + " or " + aligned.plus(granularity));
            }
        }
        if (to.isAfter(horizon)) {
            problems.add(
                    toName + to + " is after the newest closed bucket of \"" + definition.name() + "\", which ends at "
                            + horizon + " (buckets close " + Durations.format(definition.lateness())
                            + " after their end); use " + toName + horizon + " or earlier");
        }
        if (!problems.isEmpty()) {
            throw new UniqueCountException(problems);
        }
        Instant readFrom = from;
        Instant readTo = to;
        Instant last = to.minus(granularity);
        for (ZoneId zone : definition.timeZones()) {
            for (Level level : Level.CALENDAR) {
                Instant first = level.start(from, zone);
                if (first.isBefore(readFrom)) {
                    readFrom = first;
                }
                Instant end = level.end(level.start(last, zone), zone);
                if (end.isAfter(readTo) && !end.isAfter(horizon)) {
                    readTo = end;
                }
            }
        }
        return new RangePlan(from, to, readFrom, readTo, horizon);
    }

    /** Whether the calendar bucket {@code [start, end)} is written by this plan. */
    boolean writes(Instant start, Instant end) {
        return !start.isBefore(readFrom) && !end.isAfter(readTo);
    }

    /**
     * Where a job resumed at checkpoint {@code position} starts reading again: the earliest start of a written
     * calendar bucket still open at {@code position}, whose distinct values died with the killed process and
     * are recomputed from the source. Documents ending at or before {@code position} are already written.
     */
    Instant restartPoint(UniqueCountDefinition definition, Instant position) {
        Instant restart = position;
        if (!position.isBefore(readTo)) {
            return readTo;
        }
        for (ZoneId zone : definition.timeZones()) {
            for (Level level : Level.CALENDAR) {
                Instant start = level.start(position, zone);
                if (start.isBefore(restart) && writes(start, level.end(start, zone))) {
                    restart = start;
                }
            }
        }
        return restart;
    }
}
