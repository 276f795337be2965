package io.sketchgate.uniques;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One analyst's question for the distinct-question UV benchmark: distinct users over {@code [from, to)}, per UTC day
 * or in total, optionally split by a dimension or filtered to one value, asked the same way of Elasticsearch
 * ({@code date_histogram}/{@code terms} + {@code cardinality}) and of the UV API.
 */
record AnalystQuestion(Instant from, Instant to, boolean daily, Optional<String> split, Optional<String> deviceFilter) {

    /** The kind of question, for the table: aligned or not, daily or total, plain, split or filtered. */
    String kind() {
        boolean aligned = from.equals(from.truncatedTo(ChronoUnit.DAYS)) && to.equals(to.truncatedTo(ChronoUnit.DAYS));
        return (aligned ? "aligned" : "unaligned") + " " + (daily ? "daily" : "total")
                + split.map(s -> " split " + s).orElse("")
                + deviceFilter.map(d -> " filter device").orElse("");
    }

    boolean plain() {
        return split.isEmpty() && deviceFilter.isEmpty();
    }

    /** The buckets of a plain question, clipped to the range: days, or one bucket for a total. */
    List<DailyUvQuestion.Bucket> buckets() {
        if (!daily) {
            return List.of(new DailyUvQuestion.Bucket(from, from, to));
        }
        return new DailyUvQuestion("", from, to).buckets();
    }

    String elasticsearchBody(String timeField, String uniqueField) {
        String cardinality = "{\"users\":{\"cardinality\":{\"field\":\"" + uniqueField + "\"}}}";
        String inner = split.map(dimension -> "{\"by\":{\"terms\":{\"field\":\"" + dimension
                        + "\",\"size\":100},\"aggs\":" + cardinality + "}}")
                .orElse(cardinality);
        String aggs = daily
                ? "{\"days\":{\"date_histogram\":{\"field\":\"" + timeField
                        + "\",\"calendar_interval\":\"1d\",\"time_zone\":\"UTC\"},\"aggs\":" + inner + "}}"
                : inner;
        String range = "{\"range\":{\"" + timeField + "\":{\"gte\":" + from.toEpochMilli() + ",\"lt\":"
                + to.toEpochMilli() + ",\"format\":\"epoch_millis\"}}}";
        String query = deviceFilter
                .map(device -> "{\"bool\":{\"filter\":[" + range + ",{\"term\":{\"device\":\"" + device + "\"}}]}}")
                .orElse(range);
        return "{\"size\":0,\"track_total_hits\":true,\"query\":" + query + ",\"aggs\":" + aggs + "}";
    }

    String uvApiPath(String definition) {
        return "/_sketchgate/uv/" + definition + "?from=" + encode(from.toString()) + "&to=" + encode(to.toString())
                + "&interval=" + (daily ? "1d" : "all") + "&time_zone=UTC"
                + split.map(s -> "&split=" + s).orElse("")
                + deviceFilter.map(d -> "&filter.device=" + d).orElse("");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * {@code count} questions, no two alike: windows of 1 to {@code days - 1} days inside the data, half aligned to
     * UTC days and half shifted by some hours and minutes, daily and total, a quarter split by country and an eighth
     * filtered to one device. {@code exclude} holds questions already asked (warm-up), which are never repeated.
     */
    static List<AnalystQuestion> distinct(
            Instant dataStart, Instant dataEnd, int count, long seed, Set<AnalystQuestion> exclude) {
        return distinct(dataStart, dataEnd, count, seed, exclude, false);
    }

    /**
     * As {@link #distinct(Instant, Instant, int, long, Set)}; {@code unalignedOnly} for warm-ups, which must not use
     * up the few aligned windows a short data set has (an unaligned question runs every path an aligned one does).
     */
    static List<AnalystQuestion> distinct(
            Instant dataStart,
            Instant dataEnd,
            int count,
            long seed,
            Set<AnalystQuestion> exclude,
            boolean unalignedOnly) {
        long days = Duration.between(dataStart, dataEnd).toDays();
        Random random = new Random(seed);
        Set<AnalystQuestion> questions = new LinkedHashSet<>();
        int attempts = 0;
        while (questions.size() < count) {
            if (++attempts > count * 1000) {
                throw new IllegalStateException("cannot find " + count + " distinct questions in " + days + " days");
            }
            int length = 1 + random.nextInt((int) Math.max(1, days - 2));
            long startDay = 1 + random.nextInt((int) Math.max(1, days - length - 1));
            Instant from = dataStart.plus(Duration.ofDays(startDay));
            Instant to = from.plus(Duration.ofDays(length));
            int shape = unalignedOnly ? 1 + 2 * random.nextInt(4) : questions.size() % 8;
            if (shape % 2 == 1) { // unaligned: ends off the hour, as Kibana's "now" does
                Duration shift = Duration.ofHours(1 + random.nextInt(20)).plusMinutes(1 + random.nextInt(58));
                from = from.plus(shift);
                to = to.plus(shift).minus(Duration.ofMinutes(random.nextInt(50)));
            }
            boolean daily = (shape / 2) % 2 == 0;
            Optional<String> split = shape == 2 || shape == 5 ? Optional.of("country") : Optional.empty();
            Optional<String> filter = shape == 6 ? Optional.of("mobile") : Optional.empty();
            AnalystQuestion question = new AnalystQuestion(from, to, daily, split, filter);
            if (!exclude.contains(question) && to.isAfter(from) && !to.isAfter(dataEnd)) {
                questions.add(question);
            }
        }
        return new ArrayList<>(questions);
    }
}
