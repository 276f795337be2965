package io.sketchgate.api;

import java.util.List;

/**
 * What the health route reports about the Elasticsearch nodes. The transport's upstream pool implements it, so the
 * API layer reads node state without depending on the transport.
 */
public interface UpstreamHealth {
    boolean anyUp();

    List<? extends Node> nodes();

    /** One node as health checks last saw it. */
    interface Node {
        boolean isUp();

        /** Why the node is down; empty while it is up. */
        String lastError();
    }
}
