/**
 * Identity: who sent a request. Start with {@link io.sketchgate.policy.identity.IdentityResolver}, which asks the
 * configured sources in order ({@code SignedHeaderSource}, {@code ElasticsearchSource}, {@code StaticSource}) and
 * returns an {@link io.sketchgate.policy.identity.Identity} or fails with a 401
 * {@link io.sketchgate.policy.identity.IdentityException}. {@link io.sketchgate.policy.identity.HeaderSignature}
 * signs and checks {@code X-Sketchgate-*} headers. docs/identity.md describes behaviour, caching and threats.
 */
package io.sketchgate.policy.identity;
