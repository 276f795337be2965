/**
 * Sketchgate's admin API: run-time role definitions and user overrides ({@link io.sketchgate.admin.QuotasApi}),
 * stored in Elasticsearch and shared by every proxy instance ({@link io.sketchgate.admin.RuntimeLimits}, start
 * reading here), the audit trail of changes ({@link io.sketchgate.admin.AuditLog}), and explain
 * ({@link io.sketchgate.admin.ExplainApi}). {@link io.sketchgate.admin.AdminApi} registers the routes.
 * Everything here is for callers with the {@code sketchgate_admin} role.
 */
package io.sketchgate.admin;
