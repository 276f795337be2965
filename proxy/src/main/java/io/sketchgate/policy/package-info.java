/**
 * Who may run what, how much: roles, the limits that apply to a request, and the per-user quotas.
 *
 * <p>Start with {@link io.sketchgate.policy.LimitResolver}: from a user's roles, overrides and the indices a
 * request touches it computes the {@link io.sketchgate.policy.EffectiveLimits} (strictest applicable value per
 * key). {@link io.sketchgate.policy.Quotas} then enforces the stateful ones (request rate, concurrency with a
 * FIFO queue, daily Elasticsearch time) without blocking, and {@link io.sketchgate.policy.TimeFields} says which
 * field time-range limits look at. Refusals are {@link io.sketchgate.policy.Rejection} values, thrown as
 * {@link io.sketchgate.policy.PolicyException} where a future or handler needs an exception. The semantics of
 * every key are in {@code docs/limits.md}.
 */
package io.sketchgate.policy;
