/**
 * Policy: who may run which query, over which indices and how much time. A governed request goes through
 * these parts in order:
 *
 * <ol>
 *   <li><b>Classification</b> — {@link io.sketchgate.esapi.RequestClassifier} names the endpoint and the index
 *       expressions as Elasticsearch's router would; {@link io.sketchgate.esapi.IndexResolver} resolves aliases,
 *       data streams and wildcards; {@link io.sketchgate.esapi.MultiSearchBody} splits {@code _msearch};
 *       {@link io.sketchgate.policy.ContinuationRegistry} binds scroll, PIT and async ids to their owner.
 *       See {@code docs/request-classification.md}.</li>
 *   <li><b>Time span</b> — {@link io.sketchgate.policy.TimeSpanExtractor} walks the query along required clauses
 *       and evaluates each range with Elasticsearch's date math; {@link io.sketchgate.policy.SearchClamp} narrows a
 *       body to a window. Anything not understood widens the span: this is a security boundary.
 *       See {@code docs/time-span.md}.</li>
 *   <li><b>Limits</b> — {@link io.sketchgate.policy.LimitResolver} computes the strictest applicable limits of a
 *       user's roles and overrides; {@link io.sketchgate.policy.Quotas} enforces rate, concurrency and the daily
 *       budget of Elasticsearch time. See {@code docs/limits.md}.</li>
 * </ol>
 *
 * Who is asking is resolved in {@code io.sketchgate.identity}; the result, {@link io.sketchgate.http.Identity}, is shared
 * with Sketchgate's own API.
 */
package io.sketchgate.policy;
