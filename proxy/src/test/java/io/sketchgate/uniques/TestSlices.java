package io.sketchgate.uniques;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Slices and coverage for engine and cover tests. */
final class TestSlices {
    /** A coverage that holds every bucket from 2020 to 2030, with no real-time tail. */
    static final Coverage ALL_PRECOMPUTED = new Coverage(
            Optional.of(Instant.parse("2020-01-01T00:00:00Z")),
            Optional.of(Instant.parse("2030-01-01T00:00:00Z")),
            Optional.empty());

    private TestSlices() {}

    /** {@code [from, to)} by UTC day, the first and last slice cut at {@code from} and {@code to}. */
    static List<UvQuestion.TimeSlice> utcDays(Instant from, Instant to) {
        List<UvQuestion.TimeSlice> days = new ArrayList<>();
        for (Instant start = from; start.isBefore(to); ) {
            Instant next = start.atZone(ZoneOffset.UTC)
                    .toLocalDate()
                    .plusDays(1)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
            Instant end = next.isAfter(to) ? to : next;
            days.add(new UvQuestion.TimeSlice(start, end));
            start = end;
        }
        return days;
    }
}
