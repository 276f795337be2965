/**
 * Policy: who may run which query over which indices. This part classifies requests as Elasticsearch's router
 * would and works out the indices they touch; start at {@link io.sketchgate.policy.RequestClassifier}, then
 * {@link io.sketchgate.policy.IndexResolver}, {@link io.sketchgate.policy.MultiSearchBody} and
 * {@link io.sketchgate.policy.ContinuationRegistry}. See {@code docs/request-classification.md}.
 */
package io.sketchgate.policy;
