package io.sketchgate.esapi;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A date string after parsing, before any {@code time_zone} is applied: either an instant (epoch formats) or a
 * wall-clock date-time with the zone the string named, if any. Keeping the two apart is what lets
 * {@link DateMath} apply {@code time_zone} the way Elasticsearch does.
 */
record ParsedDate(Instant epoch, LocalDateTime local, ZoneId zone) {

    static ParsedDate ofEpoch(Instant instant) {
        return new ParsedDate(instant, null, null);
    }

    static ParsedDate ofLocal(LocalDateTime local, ZoneId zoneOrNull) {
        return new ParsedDate(null, local, zoneOrNull);
    }

    boolean isEpoch() {
        return epoch != null;
    }
}
