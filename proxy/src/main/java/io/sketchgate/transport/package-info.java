/**
 * The reverse proxy: listeners, the request pipeline, the upstream pool and streamed passthrough.
 *
 * <p>Start reading at {@link io.sketchgate.server.ProxyServer}, which wires listeners; then
 * {@code ListenerPipeline} (one line per stage), {@code ClientConnection} (one HTTP/1.1 connection from a
 * client, requests handled one at a time) and {@code ForwardExchange} (one request relayed to an upstream
 * node with backpressure both ways). Every response Sketchgate writes itself goes through
 * {@code ErrorResponses} or {@code JsonResponses}, so errors always have Elasticsearch's shape.
 */
package io.sketchgate.transport;
