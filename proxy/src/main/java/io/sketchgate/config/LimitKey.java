package io.sketchgate.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

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

    /**
     * Checks the limits of a record that follows this list: one value per key, in this order, none null; a null
     * one is named by its component.
     */
    static void requireOnePerKey(Object... limits) {
        LimitKey[] keys = values();
        if (limits.length != keys.length) {
            throw new IllegalArgumentException(keys.length + " limits expected, was " + limits.length);
        }
        for (int i = 0; i < keys.length; i++) {
            Objects.requireNonNull(limits[i], keys[i].component());
        }
    }

    /**
     * The record whose components are one {@code Optional} per key ({@link LimitSettings}), with every limit
     * absent: built from this list, so no copy of it spells out "none" key by key.
     */
    static <R extends Record> R allAbsent(Class<R> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] absent = new Object[components.length];
        Arrays.fill(absent, Optional.empty());
        try {
            return type.getDeclaredConstructor(Arrays.stream(components)
                            .map(RecordComponent::getType)
                            .toArray(Class<?>[]::new))
                    .newInstance(absent);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(type.getSimpleName() + " does not follow LimitKey", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor to call", e);
        }
    }
}
