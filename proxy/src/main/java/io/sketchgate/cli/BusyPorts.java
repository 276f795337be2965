package io.sketchgate.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;

/**
 * Whether a listener's port can be bound, asked before any slow work (starting Elasticsearch, loading data), so a
 * port that is taken costs the user one line rather than a minute and a stack trace. The answer can be stale by
 * the time the listener binds; the bind failure is still reported, just later.
 */
final class BusyPorts {
    private BusyPorts() {}

    /** Empty when {@code host:port} can be bound now (port 0 always can); else the reason the bind failed. */
    static Optional<String> busy(String host, int port) {
        if (port == 0) {
            return Optional.empty();
        }
        try (ServerSocket socket = new ServerSocket()) {
            // as a restarted listener would: connections of a previous run in TIME_WAIT do not count
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The one line a user sees: which port, and the option that changes it. */
    static String message(String host, int port, String reason, String howToChange) {
        return "Port " + port + " on " + host + " is not available (" + reason + "); stop what holds it or "
                + howToChange + ".";
    }
}
