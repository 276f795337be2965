package io.sketchgate.config;

import java.time.Duration;

/**
 * Protocol-level limits of the proxy.
 *
 * @param maxBodyBytes     largest request body Sketchgate inspects, also after gzip/deflate inflation
 * @param connectTimeout   to an upstream node
 * @param responseTimeout  from the end of the request to the first response byte
 * @param shutdownGrace    how long in-flight requests may take to finish on shutdown
 * @param maxHeaderBytes   total size of a request's headers
 * @param maxInitialLineBytes length of the request line
 * @param idleTimeout      a client connection with no traffic for this long is closed
 */
public record LimitsConfig(
        long maxBodyBytes,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration shutdownGrace,
        int maxHeaderBytes,
        int maxInitialLineBytes,
        Duration idleTimeout) {
}
