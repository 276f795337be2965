package io.sketchgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 response read off a raw socket, for tests that must control the bytes on the wire (pipelining,
 * framing): the status line, headers (names lower-cased, last value wins) and the body, framed by
 * {@code Content-Length} or {@code chunked}. Reads exactly one response, so several pipelined answers can be read
 * one after the other from the same stream. The status line is kept as it came ({@code HTTP/1.1 200 OK}).
 */
public record RawHttpResponse(int status, Map<String, String> headers, String body, String statusLine) {

    public static RawHttpResponse read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header; !(header = line(in)).isEmpty(); ) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line(in).split(";", 2)[0].trim(), 16)) > 0; ) {
                out.write(exactly(in, size));
                line(in);
            }
            while (!line(in).isEmpty()) { // trailers
            }
            body = out.toByteArray();
        } else {
            body = exactly(in, Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new RawHttpResponse(status, headers, new String(body, StandardCharsets.UTF_8), statusLine);
    }

    /** A request as the bytes a client would write, with {@code Content-Length} when there is a body. */
    public static String request(String method, String path, Map<String, String> headers, String body) {
        StringBuilder request =
                new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ")
                    .append(bytes.length)
                    .append("\r\n");
        }
        return request.append("\r\n").append(body == null ? "" : body).toString();
    }

    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed in the middle of a response head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
