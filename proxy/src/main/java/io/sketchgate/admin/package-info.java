/**
 * Sketchgate's admin API: run-time role definitions and user overrides ({@link io.sketchgate.admin.QuotasApi}) and
 * unique-count definitions ({@code UniqueCountChanges}, applied by {@code RuntimeUniqueCounts}), stored in
 * Elasticsearch and shared by every proxy instance ({@link io.sketchgate.runtime.RuntimeLimits}, start reading here;
 * {@code EntryWrites} makes every change: If-Match, store, audit, apply), the audit trail of changes
 * ({@link io.sketchgate.runtime.AuditLog}), and explain
 * ({@link io.sketchgate.admin.ExplainApi}). {@link io.sketchgate.admin.AdminApi} registers the routes.
 * Everything here is for callers with the {@code sketchgate_admin} role.
 *
 * <p>Operating Sketchgate: metrics ({@link io.sketchgate.telemetry.SketchgateMetrics}, served by
 * {@link io.sketchgate.admin.MetricsEndpoint} at {@code GET /_sketchgate/metrics}) and per-user usage
 * ({@link io.sketchgate.telemetry.UsageRecorder} counts, {@link io.sketchgate.telemetry.UsageStore} persists,
 * {@link io.sketchgate.admin.UsageEndpoint} answers {@code GET /_sketchgate/usage}). Every meter name is a
 * constant in {@code SketchgateMetrics}; docs/metrics.md lists them with their labels.
 */
package io.sketchgate.admin;
