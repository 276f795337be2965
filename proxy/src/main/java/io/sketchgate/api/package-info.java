/**
 * Sketchgate's own HTTP API under {@code /_sketchgate/}: {@link io.sketchgate.api.SketchgateApi} routes by the first
 * path segment to an {@link io.sketchgate.api.ApiHandler}; every route is registered once, by the server. Knows nothing of
 * the transport: the health route reads node state through {@link io.sketchgate.api.UpstreamHealth}.
 */
package io.sketchgate.api;
