/**
 * Policy: what a search may do. This part computes the time span a search requires and narrows searches to a
 * window.
 *
 * <p>Start with {@link io.sketchgate.policy.TimeSpanExtractor}: it walks the query along required clauses
 * ({@code QuerySpanWalker}), reads each range on the time field ({@code RangeReader}) and evaluates its bounds with
 * Elasticsearch's date math ({@code DateMath}) and date formats ({@code DateFormats}: ISO, epoch, java.time
 * patterns). The result is a {@link io.sketchgate.policy.TimeSpan}; {@link io.sketchgate.policy.SearchClamp}
 * narrows a body to a window of one. Anything not understood widens the span — this is a security boundary.
 * Malformed input Elasticsearch would reject raises {@link io.sketchgate.policy.TimeSpanException} (400).
 */
package io.sketchgate.policy;
