package io.sketchgate.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.esapi.DateExpressions;
import io.sketchgate.http.ProxyException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of {@code GET /_sketchgate/usage}, validated: {@code from} and {@code to} (ISO-8601, epoch
 * millis or date math; default the last 24 hours), {@code interval} ({@code Nh} or {@code Nd}, default
 * {@code 1h}), and optional {@code user}, {@code role} and {@code top} (how many top users, default 10).
 *
 * @param from the start, floored to the hour (usage is kept per hour)
 */
record UsageQuery(Optional<String> user, Optional<String> role, Instant from, Instant to, String interval, int top) {
    static final Set<String> PARAMETERS = Set.of("user", "role", "from", "to", "interval", "top");
    static final int MAX_BUCKETS = 2000;
    private static final Pattern INTERVAL = Pattern.compile("([1-9][0-9]{0,3})([hd])");

    static UsageQuery parse(ApiRequest request, Instant now) {
        for (String name : request.parameters().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw badRequest("Unknown parameter [" + name + "] for " + request.path() + "; parameters: "
                        + PARAMETERS.stream().sorted().toList() + ".");
            }
        }
        Instant from = date(request, "from", "now-24h", now, false).truncatedTo(ChronoUnit.HOURS);
        Instant to = date(request, "to", "now", now, true);
        if (!to.isAfter(from)) {
            throw badRequest("[from] (" + from + ") must be before [to] (" + to + ").");
        }
        String interval = request.parameter("interval").orElse("1h");
        Matcher m = INTERVAL.matcher(interval);
        if (!m.matches()) {
            throw badRequest("[interval] must be a number of hours or days, like 1h, 6h or 1d (usage is counted per"
                    + " hour), was [" + interval + "].");
        }
        Duration step =
                Duration.ofHours(Long.parseLong(m.group(1)) * (m.group(2).equals("d") ? 24 : 1));
        long buckets = Duration.between(from, to).toMillis() / step.toMillis() + 1;
        if (buckets > MAX_BUCKETS) {
            throw badRequest("[from] to [to] at [interval] " + interval + " makes " + buckets + " buckets, more than "
                    + MAX_BUCKETS + "; choose a larger interval or a shorter range.");
        }
        int top = request.parameter("top").map(UsageQuery::top).orElse(10);
        return new UsageQuery(nonEmpty(request, "user"), nonEmpty(request, "role"), from, to, interval, top);
    }

    private static Instant date(ApiRequest request, String name, String fallback, Instant now, boolean roundUp) {
        String text = request.parameter(name).orElse(fallback);
        try {
            return DateExpressions.parse(text, now, roundUp);
        } catch (IllegalArgumentException e) {
            throw badRequest("[" + name + "] must be an ISO-8601 date (2026-11-01T00:00:00Z), epoch milliseconds or"
                    + " date math (now-7d/d), was [" + text + "]: " + e.getMessage());
        }
    }

    private static int top(String text) {
        if (!text.matches("[0-9]{1,4}") || Integer.parseInt(text) > 1000) {
            throw badRequest("[top] must be a whole number from 0 to 1000, was [" + text + "].");
        }
        return Integer.parseInt(text);
    }

    private static Optional<String> nonEmpty(ApiRequest request, String name) {
        return request.parameter(name).filter(v -> !v.isBlank());
    }

    static ProxyException badRequest(String reason) {
        return new ProxyException(HttpResponseStatus.BAD_REQUEST, "illegal_argument_exception", reason);
    }
}
