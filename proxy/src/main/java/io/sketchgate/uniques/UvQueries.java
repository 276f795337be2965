package io.sketchgate.uniques;

import java.util.concurrent.CompletableFuture;

/**
 * Answers {@link UvQuestion}s from the unique-count index, the real-time tailer and, for unaligned edges and
 * not yet precomputed buckets, the source. Used by the UV API and by the Kibana rewrite. The future fails with
 * a {@link UniqueCountException} for a question the definition cannot answer.
 */
public interface UvQueries {
    CompletableFuture<UvAnswer> answer(UvQuestion question);
}
