package io.sketchgate.policy;

import java.util.Objects;

/**
 * One effective limit: its value, its key in the config file and where it came from.
 *
 * @param key the config key, {@code requests_per_minute}
 */
public record Limit<T>(T value, String key, LimitSource source) {
    public Limit {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
    }

    /** {@code requests_per_minute of role analyst}. */
    public String describe() {
        return source.describe(key);
    }
}
