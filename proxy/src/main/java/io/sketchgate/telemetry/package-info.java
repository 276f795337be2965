/**
 * Metrics (Micrometer, Prometheus text) and per-user usage: observers of finished requests, policy queues and
 * unique-count work. Nothing here changes a decision. Start at {@link io.sketchgate.telemetry.SketchgateMetrics}.
 */
package io.sketchgate.telemetry;
