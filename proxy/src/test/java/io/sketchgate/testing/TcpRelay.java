package io.sketchgate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A plain TCP relay: the network path between a client and its servers, which tests open and cut (e.g.
 * "Elasticsearch appears after the proxy started"), or one address in front of several proxy instances, sending
 * each new connection to the next target in turn like a layer-4 load balancer. It passes bytes unchanged and
 * knows nothing of HTTP.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket server;
    private final List<InetSocketAddress> targets;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpRelay(int port, List<InetSocketAddress> targets) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        this.targets = List.copyOf(targets);
        Thread acceptor = new Thread(this::accept, "tcp-relay-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts relaying connections to {@code port} on 127.0.0.1 to {@code target}. */
    public static TcpRelay open(int port, URI target) throws IOException {
        return new TcpRelay(port, List.of(new InetSocketAddress(target.getHost(), target.getPort())));
    }

    /** One free local port in front of {@code targets}, connections dealt round robin. */
    public static TcpRelay roundRobin(List<InetSocketAddress> targets) throws IOException {
        return new TcpRelay(0, targets);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** A port that is free now (for a relay opened later). */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                InetSocketAddress target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // either side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TcpRelay::closeQuietly);
    }
}
