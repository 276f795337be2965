package io.sketchgate.policy;

import io.sketchgate.http.Verdict;
import java.util.Objects;

/**
 * A request decided without being executed: the verdict the real request would get now, and what led to it.
 * Both come from the one data path ({@code pipeline.RequestPipeline}), so an explanation cannot disagree with the proxy.
 */
public record Explanation(DecisionTrace trace, Verdict verdict) {
    public Explanation {
        Objects.requireNonNull(trace, "trace");
        Objects.requireNonNull(verdict, "verdict");
    }
}
