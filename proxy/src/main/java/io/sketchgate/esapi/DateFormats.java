package io.sketchgate.esapi;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a {@code format} string the way Elasticsearch's {@code DateFormatter.forPattern} does: split on
 * {@code ||}, each part a built-in name or else a java.time pattern.
 *
 * <p>Three outcomes: a format we evaluate exactly; empty, for a format Elasticsearch accepts but we do not
 * evaluate (a built-in name other than the ISO and epoch ones, or a pattern with text or week fields) — the caller
 * treats the range as unbounded; or {@link IllegalArgumentException} for a format Elasticsearch rejects too.
 */
public final class DateFormats {
    /** Elasticsearch's built-in format names; a name here is never read as a java.time pattern. */
    private static final Set<String> BUILT_IN_NAMES = Set.of(
            "basic_date",
            "basic_date_time",
            "basic_date_time_no_millis",
            "basic_ordinal_date",
            "basic_ordinal_date_time",
            "basic_ordinal_date_time_no_millis",
            "basic_time",
            "basic_time_no_millis",
            "basic_t_time",
            "basic_t_time_no_millis",
            "basic_week_date",
            "strict_basic_week_date",
            "basic_week_date_time",
            "strict_basic_week_date_time",
            "basic_week_date_time_no_millis",
            "strict_basic_week_date_time_no_millis",
            "date",
            "strict_date",
            "date_hour",
            "strict_date_hour",
            "date_hour_minute",
            "strict_date_hour_minute",
            "date_hour_minute_second",
            "strict_date_hour_minute_second",
            "date_hour_minute_second_fraction",
            "strict_date_hour_minute_second_fraction",
            "date_hour_minute_second_millis",
            "strict_date_hour_minute_second_millis",
            "date_optional_time",
            "strict_date_optional_time",
            "strict_date_optional_time_nanos",
            "date_time",
            "strict_date_time",
            "date_time_no_millis",
            "strict_date_time_no_millis",
            "hour",
            "strict_hour",
            "hour_minute",
            "strict_hour_minute",
            "hour_minute_second",
            "strict_hour_minute_second",
            "hour_minute_second_fraction",
            "strict_hour_minute_second_fraction",
            "hour_minute_second_millis",
            "strict_hour_minute_second_millis",
            "ordinal_date",
            "strict_ordinal_date",
            "ordinal_date_time",
            "strict_ordinal_date_time",
            "ordinal_date_time_no_millis",
            "strict_ordinal_date_time_no_millis",
            "time",
            "strict_time",
            "time_no_millis",
            "strict_time_no_millis",
            "t_time",
            "strict_t_time",
            "t_time_no_millis",
            "strict_t_time_no_millis",
            "week_date",
            "strict_week_date",
            "week_date_time",
            "strict_week_date_time",
            "week_date_time_no_millis",
            "strict_week_date_time_no_millis",
            "weekyear",
            "strict_weekyear",
            "weekyear_week",
            "strict_weekyear_week",
            "weekyear_week_day",
            "strict_weekyear_week_day",
            "year",
            "strict_year",
            "year_month",
            "strict_year_month",
            "year_month_day",
            "strict_year_month_day",
            "epoch_second",
            "epoch_millis",
            "iso8601");

    private static final Cache<String, Optional<DateFormat>> COMPILED =
            Caches.newBuilder().maximumSize(1_000).build();

    private DateFormats() {}

    /** What Elasticsearch uses for a {@code date} field mapped without a format. */
    static DateFormat defaultMappingFormat() {
        return forPattern("strict_date_optional_time||epoch_millis").orElseThrow();
    }

    /**
     * The format a range's or mapping's {@code format} names. Compiled once per distinct text: every governed query
     * names one, and building its java.time formatters (and splitting on {@code ||}, a regex) cost more than the
     * rest of the time check, above all before the JIT has compiled them. Bounded, since the text comes from
     * request bodies; a pattern that fails is not cached and fails again.
     */
    public static Optional<DateFormat> forPattern(String format) {
        if (format == null || format.isEmpty()) {
            throw new IllegalArgumentException("No date pattern provided");
        }
        return COMPILED.get(format, DateFormats::compile);
    }

    private static Optional<DateFormat> compile(String format) {
        String[] parts = format.split("\\|\\|", -1);
        if (parts.length == 1) {
            return single(format);
        }
        List<DateFormat> formats = new ArrayList<>(parts.length);
        boolean understood = true;
        for (String part : parts) {
            if (part.isEmpty()) {
                throw new IllegalArgumentException("No date pattern provided");
            }
            Optional<DateFormat> single = single(part);
            understood &= single.isPresent();
            single.ifPresent(formats::add);
        }
        // one part we cannot evaluate could be the one that matches, so the whole composite is not understood
        return understood ? Optional.of(new CompositeDateFormat(format, formats)) : Optional.empty();
    }

    private static Optional<DateFormat> single(String name) {
        switch (name) {
            case "strict_date_optional_time", "iso8601":
                return Optional.of(IsoDateFormat.optionalTime(name));
            case "strict_date_optional_time_nanos":
                return Optional.of(IsoDateFormat.optionalTimeNanos(name));
            case "epoch_millis":
                return Optional.of(EpochDateFormat.millis());
            case "epoch_second":
                return Optional.of(EpochDateFormat.seconds());
            default:
                if (BUILT_IN_NAMES.contains(name)) {
                    return Optional.empty();
                }
                return PatternDateFormat.compile(name);
        }
    }
}
