package io.sketchgate.uniques;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * "Distinct users per UTC day over {@code [from, to)}", as an Elasticsearch {@code date_histogram} +
 * {@code cardinality} search and as a UV API request. The first and last day count only the part inside the
 * range, as both a {@code range} query with a {@code date_histogram} and the UV API do.
 */
record DailyUvQuestion(String label, Instant from, Instant to) {

    /** ES's default when {@code precision_threshold} is not given. */
    static final int DEFAULT_PRECISION_THRESHOLD = -1;

    /** One day of the question, clipped to the range; {@code key} is the day's start, as both sides key it. */
    record Bucket(Instant key, Instant from, Instant to) {}

    DailyUvQuestion {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException(label + ": from " + from + " must be before to " + to);
        }
    }

    List<Bucket> buckets() {
        List<Bucket> buckets = new ArrayList<>();
        for (Instant day = from.truncatedTo(ChronoUnit.DAYS); day.isBefore(to); day = day.plus(Duration.ofDays(1))) {
            Instant start = day.isBefore(from) ? from : day;
            Instant end = day.plus(Duration.ofDays(1)).isAfter(to) ? to : day.plus(Duration.ofDays(1));
            buckets.add(new Bucket(day, start, end));
        }
        return buckets;
    }

    /** The search body; {@code precisionThreshold} {@link #DEFAULT_PRECISION_THRESHOLD} leaves ES's default. */
    String elasticsearchBody(String timeField, String uniqueField, int precisionThreshold) {
        String threshold = precisionThreshold == DEFAULT_PRECISION_THRESHOLD
                ? ""
                : ",\"precision_threshold\":" + precisionThreshold;
        return "{\"size\":0,\"track_total_hits\":false,\"query\":{\"range\":{\"" + timeField + "\":{\"gte\":"
                + from.toEpochMilli() + ",\"lt\":" + to.toEpochMilli() + ",\"format\":\"epoch_millis\"}}},"
                + "\"aggs\":{\"days\":{\"date_histogram\":{\"field\":\"" + timeField
                + "\",\"calendar_interval\":\"1d\","
                + "\"time_zone\":\"UTC\"},\"aggs\":{\"users\":{\"cardinality\":{\"field\":\"" + uniqueField + "\""
                + threshold + "}}}}}}";
    }

    /** Path and query of the UV API request. */
    String uvApiPath(String definition) {
        return "/_sketchgate/uv/" + definition + "?from=" + encode(from.toString()) + "&to=" + encode(to.toString())
                + "&interval=1d&time_zone=UTC";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
