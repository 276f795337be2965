package io.sketchgate.config;

import java.util.Objects;
import java.util.Optional;

/**
 * One problem found while reading configuration, as data: for answers that list problems field by field (the admin
 * API's 400), where a file and line would mean nothing.
 *
 * @param key    the full key path, as in the file: {@code roles.analyst.max_time_range}
 * @param reason what is wrong and what is allowed: {@code must be a duration like 31d, was "31 days"}
 * @param value  the offending value as sent; empty for maps, lists and secrets
 */
public record ConfigProblem(String key, String reason, Optional<String> value) {
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(value, "value");
    }
}
