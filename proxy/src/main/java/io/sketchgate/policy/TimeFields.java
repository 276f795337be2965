package io.sketchgate.policy;

import com.github.benmanes.caffeine.cache.Cache;
import io.sketchgate.caches.Caches;
import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.IndexTimeFieldsConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which time field time-range limits apply to, per index, from {@code index_time_fields}.
 *
 * <p>For a concrete index the most specific matching pattern decides (most literal characters); the config
 * loader refuses two equally specific patterns that can match the same index, so the answer is unique.
 * For a wildcard expression the answer is every field it may need: the fields of all patterns that can match
 * one of its names, except patterns that lose to a more specific one covering the whole expression
 * ({@code weblogs-*} asked of {@code weblogs-*: @timestamp} and {@code *: event.created} needs only
 * {@code @timestamp}).
 *
 * <p>Immutable; the answer per expression is remembered (a bounded Caffeine cache), since matching an expression
 * against every pattern costs more than the rest of a typical time check and Kibana sends the same few.
 */
public final class TimeFields {
    /** Distinct index expressions remembered; a miss costs one pass over the patterns. */
    static final long MEMO_ENTRIES = 10_000;

    private final List<Map.Entry<IndexPattern, String>> bySpecificity;
    private final Cache<String, Set<String>> fieldsByExpression =
            Caches.newBuilder().maximumSize(MEMO_ENTRIES).build();

    public TimeFields(IndexTimeFieldsConfig config) {
        List<Map.Entry<IndexPattern, String>> entries =
                new ArrayList<>(config.fields().entrySet());
        entries.sort(
                (a, b) -> Integer.compare(b.getKey().specificity(), a.getKey().specificity()));
        this.bySpecificity = List.copyOf(entries);
    }

    /** The time field of a concrete index, if any pattern names one. */
    public Optional<String> fieldOf(String index) {
        Objects.requireNonNull(index, "index");
        for (Map.Entry<IndexPattern, String> entry : bySpecificity) {
            if (entry.getKey().matches(index)) {
                return Optional.of(entry.getValue());
            }
        }
        return Optional.empty();
    }

    /**
     * The time fields the names one request expression may resolve to can have, most specific first.
     * Empty when no pattern can match it. Expressions are read as in {@link LimitResolver#resolve}. Unmodifiable.
     */
    public Set<String> fieldsOf(String expression) {
        Set<String> known = fieldsByExpression.getIfPresent(expression);
        if (known != null) {
            return known;
        }
        Set<String> fields = Collections.unmodifiableSet(matchFields(expression));
        fieldsByExpression.put(expression, fields);
        return fields;
    }

    private Set<String> matchFields(String expression) {
        Set<String> fields = new LinkedHashSet<>();
        for (IndexPattern touched : TouchedPatterns.touched(List.of(expression))) {
            for (Map.Entry<IndexPattern, String> entry : bySpecificity) {
                if (entry.getKey().overlaps(touched)) {
                    fields.add(entry.getValue());
                    if (entry.getKey().covers(touched)) {
                        break; // every name of the expression stops at this pattern or a more specific one
                    }
                }
            }
        }
        return fields;
    }
}
