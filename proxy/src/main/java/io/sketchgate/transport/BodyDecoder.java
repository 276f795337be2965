package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.ByteSizes;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Gives the bytes of a request body as Elasticsearch will read them: inflated when the body is sent with
 * {@code Content-Encoding: gzip} or {@code deflate}. Inflation stops at the limit, so a gzip bomb costs at
 * most {@code maxBytes} of memory and is refused with 413.
 */
final class BodyDecoder {
    private final long maxBytes;
    private final String limitName;

    BodyDecoder(long maxBytes, String limitName) {
        this.maxBytes = maxBytes;
        this.limitName = limitName;
    }

    /** The decoded body; {@code raw} is not consumed or released. */
    byte[] decode(HttpHeaders headers, ByteBuf raw) {
        String encoding =
                headers.get(HttpHeaderNames.CONTENT_ENCODING, "identity").trim().toLowerCase(Locale.ROOT);
        switch (encoding) {
            case "identity", "" -> {
                byte[] bytes = new byte[raw.readableBytes()];
                raw.getBytes(raw.readerIndex(), bytes);
                return bytes;
            }
            case "gzip", "x-gzip" -> {
                return inflate(raw, true, encoding);
            }
            case "deflate" -> {
                return inflate(raw, false, encoding);
            }
            default ->
                throw ErrorType.UNSUPPORTED_ENCODING.exception("Content-Encoding [" + encoding
                        + "] is not supported on search endpoints: Sketchgate must read the"
                        + " query to apply limits. Send the body uncompressed, or with gzip or deflate.");
        }
    }

    private byte[] inflate(ByteBuf raw, boolean gzip, String encoding) {
        try (InputStream in = gzip
                ? new GZIPInputStream(new ByteBufInputStream(raw.duplicate()), 8192)
                : new InflaterInputStream(
                        new ByteBufInputStream(raw.duplicate()), new Inflater(isRawDeflate(raw)), 8192)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(raw.readableBytes() * 4, 1 << 20));
            byte[] chunk = new byte[8192];
            int n;
            while ((n = in.read(chunk)) > 0) {
                if (out.size() + (long) n > maxBytes) {
                    throw tooLarge(maxBytes, limitName);
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw ErrorType.BODY_ENCODING.exception(
                    "The request body is declared as Content-Encoding [" + encoding + "] but cannot be decoded ("
                            + e.getMessage() + "). Send a valid " + encoding + " body or no Content-Encoding header.");
        }
    }

    /** HTTP's "deflate" is zlib-wrapped, but some clients send raw deflate; a zlib stream starts with 0x78. */
    private static boolean isRawDeflate(ByteBuf raw) {
        return raw.readableBytes() < 2
                || (raw.getByte(raw.readerIndex()) & 0x0f) != 8
                || ((raw.getUnsignedByte(raw.readerIndex()) << 8) | raw.getUnsignedByte(raw.readerIndex() + 1)) % 31
                        != 0;
    }

    static ProxyException tooLarge(long maxBytes, String limitName) {
        return ErrorType.REQUEST_TOO_LARGE.exception(
                "The request body is larger than " + ByteSizes.format(maxBytes) + " (" + limitName + "), also counted"
                        + " after decompression. Sketchgate reads search bodies to apply limits; send a smaller query,"
                        + " or ask the operator to raise " + limitName + ".");
    }
}
