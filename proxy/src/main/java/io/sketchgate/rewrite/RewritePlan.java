package io.sketchgate.rewrite;

import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * A search that {@link RewriteMatcher} proved to be a unique-count question: what to ask, and how Elasticsearch
 * would have shaped the answer.
 *
 * @param hitsTotal how {@code hits.total} is rendered
 * @param async     for an {@code _async_search} submit, the envelope's parameters; null otherwise
 */
public record RewritePlan(
        UniqueCountDefinition definition,
        QueryReader.Conditions conditions,
        List<AggNode.Named> aggregations,
        HitsTotal hitsTotal,
        Async async) {

    public RewritePlan {
        aggregations = List.copyOf(aggregations);
    }

    /**
     * {@code track_total_hits} and {@code rest_total_hits_as_int} as Elasticsearch applies them: not tracked
     * (no {@code total}), tracked up to a threshold ({@code {"value":N,"relation":"eq"}}, or the threshold with
     * {@code "gte"} above it), or as a bare number.
     */
    public record HitsTotal(boolean tracked, OptionalLong upTo, boolean asInt) {}

    /** {@code keep_on_completion} and {@code keep_alive} of an async submit. */
    public record Async(boolean keepOnCompletion, Duration keepAlive) {}
}
