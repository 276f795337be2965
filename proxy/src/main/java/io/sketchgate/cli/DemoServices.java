package io.sketchgate.cli;

import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.server.ProxyServer;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code sketchgate demo} runs, closed in dependency order exactly once, whichever comes first:
 * Ctrl-C (the shutdown hook), a failure during start-up, or a test.
 */
final class DemoServices {

    private static final Logger LOG = LoggerFactory.getLogger(DemoServices.class);

    private final CountDownLatch closed = new CountDownLatch(1);
    private EmbeddedElasticsearch elasticsearch;
    private ProxyServer proxy;
    private boolean closing;

    synchronized EmbeddedElasticsearch elasticsearch(EmbeddedElasticsearch started) {
        elasticsearch = started;
        return started;
    }

    synchronized ProxyServer proxy(ProxyServer started) {
        proxy = started;
        return started;
    }

    synchronized boolean isClosing() {
        return closing;
    }

    /** Blocks until {@link #close()} has run. */
    void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** The proxy first, so in-flight requests can still reach Elasticsearch during its grace period. */
    void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            if (proxy != null) {
                proxy.close();
            }
        } catch (RuntimeException e) {
            LOG.warn("Closing the proxy failed", e);
        }
        try {
            if (elasticsearch != null) {
                elasticsearch.close();
            }
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Stopping Elasticsearch failed", e);
        } finally {
            closed.countDown();
        }
    }
}
