/**
 * Operating Sketchgate: metrics ({@link io.sketchgate.admin.SketchgateMetrics}, served by
 * {@link io.sketchgate.admin.MetricsEndpoint} at {@code GET /_sketchgate/metrics}) and per-user usage
 * ({@link io.sketchgate.admin.UsageRecorder} counts, {@link io.sketchgate.admin.UsageStore} persists,
 * {@link io.sketchgate.admin.UsageEndpoint} answers {@code GET /_sketchgate/usage}).
 *
 * <p>Start reading at {@code SketchgateMetrics}: every meter name is a constant there, and docs/metrics.md lists
 * them with their labels.
 */
package io.sketchgate.admin;
