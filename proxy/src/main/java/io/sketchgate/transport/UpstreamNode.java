package io.sketchgate.transport;

import io.sketchgate.api.UpstreamHealth;
import java.net.URI;
import java.util.Locale;

/**
 * One upstream server (an Elasticsearch node or the Kibana server). A node that fails to connect is marked
 * down; the health checker marks it up again when it answers. Requests still try a down node when no node
 * is up, so a cluster that comes back is used without waiting for the next health check.
 */
public final class UpstreamNode implements UpstreamHealth.Node {
    private final String host;
    private final int port;
    private final boolean tls;
    private final String basePath;
    private final String text;
    private volatile boolean up = true;
    private volatile String lastError = "";

    UpstreamNode(URI uri, int defaultPort) {
        this.host = uri.getHost();
        this.tls = "https".equals(uri.getScheme().toLowerCase(Locale.ROOT));
        this.port = uri.getPort() > 0 ? uri.getPort() : defaultPort;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.text = uri.getScheme() + "://" + host + ":" + port + basePath; // logged for every forwarded request
    }

    /** {@code host:port}, for the Host header of an HTTP/1.0 client's request. */
    String authority() {
        return host + ":" + port;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    public boolean tls() {
        return tls;
    }

    /** The request target to send upstream: the node's base path (if any) followed by the client's target. */
    String target(String clientUri) {
        return basePath.isEmpty() ? clientUri : basePath + clientUri;
    }

    @Override
    public boolean isUp() {
        return up;
    }

    @Override
    public String lastError() {
        return lastError;
    }

    void markDown(String reason) {
        lastError = reason;
        up = false;
    }

    void markUp() {
        up = true;
        lastError = "";
    }

    @Override
    public String toString() {
        return text;
    }
}
