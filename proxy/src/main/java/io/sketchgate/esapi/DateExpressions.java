package io.sketchgate.esapi;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Dates as Elasticsearch reads them in a range query on a default {@code date} field, for Sketchgate's own API
 * parameters ({@code from}, {@code to}): ISO-8601, epoch milliseconds, or date math ({@code now-7d/d},
 * {@code 2026-11-01||+1M}), in UTC.
 */
public final class DateExpressions {
    private DateExpressions() {}

    /**
     * @param roundUp as for an upper bound ({@code lte}): roundings go to the end of the unit
     * @throws IllegalArgumentException with Elasticsearch's message when it is not a date
     */
    public static Instant parse(String text, Instant now, boolean roundUp) {
        return Instant.ofEpochMilli(DateMath.evaluate(
                text, now.toEpochMilli(), roundUp, ZoneOffset.UTC, DateFormats.defaultMappingFormat(), true));
    }
}
