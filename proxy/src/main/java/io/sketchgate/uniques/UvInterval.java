package io.sketchgate.uniques;

import io.sketchgate.config.Durations;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UV API's {@code interval}: {@code all} (one bucket), {@code 1d}, {@code 1w} (ISO weeks from Monday),
 * {@code 1M} (months) in the requested zone, or a fixed length ({@code 1h}, {@code 3h}, {@code 15m}) that is a
 * multiple of the definition's granularity and divides a day, aligned to local midnight and restarting there
 * (so a 23-hour DST day has a shorter last bucket, as a calendar demands).
 */
record UvInterval(String text, Optional<Level> calendar, Optional<Duration> fixed) {
    private static final Pattern FIXED = Pattern.compile("([1-9][0-9]{0,4})([mh])");
    static final String ALLOWED = "1h, 1d, 1w, 1M, all, or a multiple of the granularity like 3h";

    static final UvInterval ALL = new UvInterval("all", Optional.empty(), Optional.empty());

    /** A bucket of the answer: its key (the aligned start, as a date histogram keys it) and the part inside the range. */
    record Bucket(Instant key, UvQuestion.TimeSlice slice) {}

    /** @return the interval, or empty with {@code problem} set */
    static UvInterval parse(String text, UniqueCountDefinition definition, List<String> problems) {
        switch (text) {
            case "all":
                return ALL;
            case "1d":
                return new UvInterval(text, Optional.of(Level.DAY), Optional.empty());
            case "1w":
                return new UvInterval(text, Optional.of(Level.WEEK), Optional.empty());
            case "1M":
                return new UvInterval(text, Optional.of(Level.MONTH), Optional.empty());
            default:
                break;
        }
        Matcher matcher = FIXED.matcher(text);
        if (!matcher.matches()) {
            problems.add("interval \"" + text + "\" is not an interval; use " + ALLOWED);
            return null;
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration length = matcher.group(2).equals("m") ? Duration.ofMinutes(amount) : Duration.ofHours(amount);
        Duration granularity = definition.granularity();
        String g = Durations.format(granularity);
        if (length.compareTo(granularity) < 0) {
            problems.add("interval " + text + " is finer than the granularity " + g + " of \"" + definition.name()
                    + "\", the smallest bucket it stores; use " + g + " or coarser");
            return null;
        }
        if (length.toMillis() % granularity.toMillis() != 0
                || Duration.ofDays(1).toMillis() % length.toMillis() != 0) {
            problems.add("interval " + text + " must be a multiple of the granularity " + g + " of \""
                    + definition.name() + "\" that divides a day; use " + ALLOWED);
            return null;
        }
        return new UvInterval(text, Optional.empty(), Optional.of(length));
    }

    /** The buckets of {@code [from, to)} in {@code zone}, clipped to the range. */
    List<Bucket> buckets(Instant from, Instant to, ZoneId zone, int max, List<String> problems) {
        List<Bucket> buckets = new ArrayList<>();
        Instant key = alignedStart(from, zone);
        while (key.isBefore(to)) {
            Instant end = next(key, zone);
            buckets.add(new Bucket(
                    key, new UvQuestion.TimeSlice(key.isBefore(from) ? from : key, end.isAfter(to) ? to : end)));
            if (buckets.size() > max) {
                problems.add("interval " + text + " makes more than " + max + " buckets of " + from + " .. " + to
                        + "; pick a coarser interval or a shorter range");
                return List.of();
            }
            key = end;
        }
        return buckets;
    }

    private Instant alignedStart(Instant at, ZoneId zone) {
        if (calendar.isPresent()) {
            return calendar.get().start(at, zone);
        }
        if (fixed.isEmpty()) {
            return at;
        }
        Instant day = Level.DAY.start(at, zone);
        long step = fixed.get().toMillis();
        return day.plusMillis((at.toEpochMilli() - day.toEpochMilli()) / step * step);
    }

    private Instant next(Instant start, ZoneId zone) {
        if (calendar.isPresent()) {
            return calendar.get().end(start, zone);
        }
        if (fixed.isEmpty()) {
            return Instant.MAX;
        }
        Instant candidate = start.plus(fixed.get());
        Instant nextDay = Level.DAY.end(Level.DAY.start(start, zone), zone);
        return candidate.isAfter(nextDay) ? nextDay : candidate;
    }
}
