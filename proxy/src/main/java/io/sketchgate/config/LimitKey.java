package io.sketchgate.config;

/**
 * The one list of per-user limits: a role's and an override's keys ({@link LimitSettings}), and the limits in
 * force for a request ({@code io.sketchgate.policy.EffectiveLimits}) are typed views of it, in this order.
 * {@code LimitKeyTest} fails when either record has a limit this list lacks, or lacks one it has.
 */
public enum LimitKey {
    MAX_TIME_RANGE("max_time_range"),
    ON_EXCEED("on_exceed"),
    REQUIRE_TIME_FILTER("require_time_filter"),
    REQUESTS_PER_MINUTE("requests_per_minute"),
    MAX_CONCURRENT("max_concurrent"),
    MAX_QUEUE("max_queue"),
    MAX_QUEUE_TIME("max_queue_time"),
    MAX_EXECUTION_TIME("max_execution_time"),
    DAILY_ES_TIME_BUDGET("daily_es_time_budget");

    private final String key;

    LimitKey(String key) {
        this.key = key;
    }

    /** The key in the config file and the admin API, e.g. {@code max_time_range}. */
    public String key() {
        return key;
    }

    /** The Java name of the record component that holds it, e.g. {@code maxTimeRange}. */
    public String component() {
        StringBuilder name = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                name.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return name.toString();
    }
}
