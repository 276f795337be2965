package io.sketchgate.transport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * The minimal blocking HTTP/1.1 upstream of the benchmarks that run a proxy against a fixed answer
 * ({@link PassthroughAllocation}, {@link FirstRequestLatency}): one daemon thread a connection, keep-alive, each
 * request answered with the bytes {@code answer} gives for its request line. Also the head reader both clients use.
 */
final class StubUpstream {
    private StubUpstream() {}

    /** Accepts until {@code server} closes. */
    static void serve(ServerSocket server, Function<String, byte[]> answer) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread t = new Thread(
                        () -> {
                            try (socket) {
                                socket.setTcpNoDelay(true);
                                InputStream in = new BufferedInputStream(socket.getInputStream());
                                OutputStream out = socket.getOutputStream();
                                while (true) {
                                    String requestLine = line(in);
                                    in.skipNBytes(restOfHead(in));
                                    out.write(answer.apply(requestLine));
                                    out.flush();
                                }
                            } catch (IOException closed) {
                                // the proxy closed the connection
                            }
                        },
                        "upstream-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** A 200 with {@code json} as its body and Elasticsearch's product header. */
    static byte[] ok(byte[] json) {
        byte[] head = ("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nX-elastic-product: Elasticsearch\r\n"
                        + "content-length: " + json.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] response = new byte[head.length + json.length];
        System.arraycopy(head, 0, response, 0, head.length);
        System.arraycopy(json, 0, response, head.length, json.length);
        return response;
    }

    /** Reads a whole response or request head; returns its Content-Length (0 if none). */
    static int readHead(InputStream in) throws IOException {
        line(in);
        return restOfHead(in);
    }

    /** The header lines after a head's first line, up to the blank one; returns the Content-Length (0 if none). */
    private static int restOfHead(InputStream in) throws IOException {
        int length = 0;
        for (String text; !(text = line(in).trim()).isEmpty(); ) {
            if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(text.substring(15).trim());
            }
        }
        return length;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
            line.append((char) b);
        }
        return line.toString();
    }
}
