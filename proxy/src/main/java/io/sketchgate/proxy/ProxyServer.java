package io.sketchgate.proxy;

import io.sketchgate.config.SketchgateConfig;

import java.net.InetSocketAddress;
import java.util.Optional;

/** The running proxy: its listeners, upstream pool and access log. Start one per process. */
public final class ProxyServer implements AutoCloseable {

    public static ProxyServer start(SketchgateConfig config) throws InterruptedException {
        throw new UnsupportedOperationException("not yet implemented");
    }

    /** Where the ES-facing listener actually bound (the port is resolved when configured as 0). */
    public InetSocketAddress elasticsearchAddress() {
        throw new UnsupportedOperationException();
    }

    public Optional<InetSocketAddress> kibanaAddress() {
        throw new UnsupportedOperationException();
    }

    /** Stops accepting, lets in-flight requests finish within the configured grace period, then closes. */
    @Override
    public void close() {
    }
}
