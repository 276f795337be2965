package io.sketchgate.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate process that opens many idle TCP connections to one address and holds them until its standard
 * input closes. Tests use it so that the client ends of ten thousand connections do not count against the
 * file-descriptor limit of the JVM that runs the proxy under test.
 */
public final class IdleConnectionHolder implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;

    private IdleConnectionHolder(Process process) {
        this.process = process;
        this.output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the holder and waits until it has opened {@code count} connections (it fails if it cannot). */
    public static IdleConnectionHolder open(InetSocketAddress address, int count) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(
                        java,
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        IdleConnectionHolder.class.getName(),
                        address.getHostString(),
                        String.valueOf(address.getPort()),
                        String.valueOf(count))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start(); // JVM notices stay off the protocol
        IdleConnectionHolder holder = new IdleConnectionHolder(process);
        String line = holder.output.readLine();
        if (line == null || !line.equals("open " + count)) {
            holder.close();
            throw new IOException("the connection holder did not open " + count + " connections: " + line);
        }
        return holder;
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close(); // the holder closes its sockets and exits
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** {@code host port count}: opens the connections, prints {@code open <count>}, holds them until stdin ends. */
    public static void main(String[] args) throws IOException {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                socket.connect(address, 10_000);
                sockets.add(socket);
            }
            System.out.println("open " + sockets.size());
            System.out.flush();
            while (System.in.read() >= 0) { // hold until the test closes our standard input
            }
        } catch (IOException e) {
            System.out.println("failed after " + sockets.size() + " connections: " + e);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
