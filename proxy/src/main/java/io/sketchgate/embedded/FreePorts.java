package io.sketchgate.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Ports free on loopback right now. Another process may take one before a node binds it (other
 * builds start nodes on this machine too), which is why {@link EmbeddedElasticsearch} retries a
 * start that failed to bind.
 */
final class FreePorts {

    private FreePorts() {}

    /** {@code count} distinct ports: all sockets stay open until every port is chosen. */
    static List<Integer> allocate(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return List.copyOf(ports);
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
