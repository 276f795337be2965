/**
 * The Kibana rewrite: searches that provably ask a unique-count question ({@link io.sketchgate.uniques.UvQuestion})
 * are answered from the unique-count index with the response Elasticsearch would have given.
 *
 * <p>Start at {@link io.sketchgate.rewrite.RewriteMatcher} (is this search the same question? which one?), then
 * {@link io.sketchgate.rewrite.QuestionPlan} (one engine question per chart where one answers every number),
 * {@link io.sketchgate.rewrite.ResponseSynthesizer} (the answer in Elasticsearch's shape, bucket keys by
 * {@link io.sketchgate.rewrite.HistogramRounding}) and {@link io.sketchgate.rewrite.KibanaRewriter}, which the
 * policy calls once a request is allowed. {@link io.sketchgate.rewrite.AsyncSearchStore} keeps the async-search
 * responses Sketchgate hands out ids for. See docs/kibana-rewrite.md.
 */
package io.sketchgate.rewrite;
