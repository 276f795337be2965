/**
 * The one class that wires everything: {@link io.sketchgate.server.ProxyServer} builds the listeners, the pipeline,
 * the unique-count services and the admin routes from one validated config. Nothing else imports every layer.
 */
package io.sketchgate.server;
