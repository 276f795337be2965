package io.sketchgate.testing;

import io.sketchgate.config.LimitKey;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.OnExceed;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** {@link LimitSettings} for tests, by key rather than by position. */
public final class Limits {
    private Limits() {}

    /**
     * Every one of the nine keys set, as the good configuration files set them: 31 days ({@code onExceed}), a time
     * filter required, 120 requests a minute, 2 at once with 10 waiting up to 5 s, 60 s per request and 30 minutes
     * of Elasticsearch time a day.
     */
    public static LimitSettings everyKey(OnExceed onExceed) {
        return new LimitSettings(
                Optional.of(Duration.ofDays(31)),
                Optional.of(onExceed),
                Optional.of(true),
                Optional.of(120),
                Optional.of(2),
                Optional.of(10),
                Optional.of(Duration.ofSeconds(5)),
                Optional.of(Duration.ofSeconds(60)),
                Optional.of(Duration.ofMinutes(30)));
    }

    /** The keys of {@code values} set, the others absent; each value of its key's type. */
    public static LimitSettings only(Map<LimitKey, ?> values) {
        return new LimitSettings(
                value(values, LimitKey.MAX_TIME_RANGE, Duration.class),
                value(values, LimitKey.ON_EXCEED, OnExceed.class),
                value(values, LimitKey.REQUIRE_TIME_FILTER, Boolean.class),
                value(values, LimitKey.REQUESTS_PER_MINUTE, Integer.class),
                value(values, LimitKey.MAX_CONCURRENT, Integer.class),
                value(values, LimitKey.MAX_QUEUE, Integer.class),
                value(values, LimitKey.MAX_QUEUE_TIME, Duration.class),
                value(values, LimitKey.MAX_EXECUTION_TIME, Duration.class),
                value(values, LimitKey.DAILY_ES_TIME_BUDGET, Duration.class));
    }

    private static <T> Optional<T> value(Map<LimitKey, ?> values, LimitKey key, Class<T> type) {
        return Optional.ofNullable(values.get(key)).map(type::cast);
    }
}
