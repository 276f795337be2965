/**
 * Identity: who sent a request. Start with {@link io.sketchgate.identity.IdentityResolver}, which asks the
 * configured sources in order ({@code SignedHeaderSource}, {@code ElasticsearchSource}, {@code StaticSource}) and
 * returns an {@link io.sketchgate.identity.Identity} or fails with a 401
 * {@link io.sketchgate.identity.IdentityException}. {@link io.sketchgate.identity.HeaderSignature}
 * signs and checks {@code X-Sketchgate-*} headers. docs/identity.md describes behaviour, caching and threats.
 */
package io.sketchgate.identity;
