package io.sketchgate.policy;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A request the policy refuses, as a value: cheap to create on an event loop and easy to assert in tests.
 * {@link #toException()} turns it into the exception the proxy maps to Elasticsearch's error shape.
 *
 * @param status     400, 403 or 429; never 401 (Kibana may end the session) and never 5xx (clients retry)
 * @param type       the Elasticsearch error type, {@code sketchgate_..._exception}
 * @param reason     the sentence Kibana shows: which limit, how to get under it, when it resets
 * @param retryAfter for a {@code Retry-After} header, when waiting helps
 * @param code       which limit refused, as metrics and usage count it: {@code rate_limit}, {@code es_time_budget},
 *                   {@code queue_full}, {@code queue_timeout}, or the type without {@code sketchgate_} and
 *                   {@code _exception}; a small fixed set, never request data
 */
public record Rejection(int status, String type, String reason, Optional<Duration> retryAfter, String code) {
    public static final String QUOTA_TYPE = "sketchgate_quota_exception";
    public static final String UNKNOWN_ROLE_TYPE = "sketchgate_unknown_role_exception";

    public Rejection {
        if (status < 400 || status >= 500 || status == 401) {
            throw new IllegalArgumentException("a rejection is a 4xx other than 401, was " + status);
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(code, "code");
    }

    /** A rejection counted under its type's short name ({@code sketchgate_unknown_role_exception} → {@code unknown_role}). */
    public Rejection(int status, String type, String reason, Optional<Duration> retryAfter) {
        this(status, type, reason, retryAfter, io.sketchgate.http.ProxyException.codeOf(type));
    }

    static Rejection tooManyRequests(String code, String reason, Duration retryAfter) {
        return new Rejection(429, QUOTA_TYPE, reason, Optional.of(retryAfter), code);
    }

    /** The {@code Retry-After} header value: whole seconds, rounded up, at least 1. */
    public OptionalLong retryAfterSeconds() {
        return retryAfter.map(d -> OptionalLong.of(Math.max(1, ceilSeconds(d)))).orElse(OptionalLong.empty());
    }

    public PolicyException toException() {
        return new PolicyException(this);
    }

    static long ceilSeconds(Duration d) {
        long seconds = d.getSeconds();
        return d.getNano() > 0 ? seconds + 1 : seconds;
    }
}
