package io.sketchgate.policy;

import java.util.Objects;

/**
 * What a search requires of the time field.
 *
 * @param span          every instant the search can match; anything not understood widens it
 * @param hasTimeFilter whether a required range on the time field sets at least one bound: true exactly when the
 *                      span is empty or has a lower or an upper bound. A lone {@code gte} counts, as it does for
 *                      Elasticsearch; policies that need both bounds check {@link TimeSpan#isBounded()}.
 */
public record RequiredSpan(TimeSpan span, boolean hasTimeFilter) {

    public RequiredSpan {
        Objects.requireNonNull(span, "span");
        if (hasTimeFilter == span.isUnbounded()) {
            throw new IllegalArgumentException("hasTimeFilter must be " + !span.isUnbounded() + " for " + span);
        }
    }

    static RequiredSpan of(TimeSpan span) {
        return new RequiredSpan(span, !span.isUnbounded());
    }
}
