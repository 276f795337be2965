package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.http.ProxyException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class BodyDecoderTest {
    private static final byte[] QUERY = "{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8);
    private final BodyDecoder decoder = new BodyDecoder(1024, "limits.max_body");

    @Test
    void identityBody_isReturnedAsSent() {
        assertThat(decoder.decode(headers(null), Unpooled.wrappedBuffer(QUERY))).isEqualTo(QUERY);
    }

    @Test
    void gzipBody_isInflated() throws IOException {
        assertThat(decoder.decode(headers("gzip"), Unpooled.wrappedBuffer(gzip(QUERY))))
                .isEqualTo(QUERY);
    }

    @Test
    void deflateBody_isInflatedWhetherZlibWrappedOrRaw() throws IOException {
        assertThat(decoder.decode(headers("deflate"), Unpooled.wrappedBuffer(deflate(QUERY, false))))
                .isEqualTo(QUERY);
        assertThat(decoder.decode(headers("deflate"), Unpooled.wrappedBuffer(deflate(QUERY, true))))
                .isEqualTo(QUERY);
    }

    @Test
    void gzipBomb_isRefusedWith413OnceInflationPassesTheLimit() throws IOException {
        byte[] bomb = gzip(new byte[100 * 1024 * 1024]);
        assertThat(bomb.length).isLessThan(200 * 1024);
        assertThatThrownBy(() -> decoder.decode(headers("gzip"), Unpooled.wrappedBuffer(bomb)))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(413);
                    assertThat(e.reason())
                            .isEqualTo("The request body is larger than 1kb (limits.max_body), also counted"
                                    + " after decompression. Sketchgate reads search bodies to apply limits; send a smaller"
                                    + " query, or ask the operator to raise limits.max_body.");
                });
    }

    @Test
    void corruptGzip_isRefusedWith400NamingTheEncoding() {
        ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7});
        assertThatThrownBy(() -> decoder.decode(headers("gzip"), garbage))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(400);
                    assertThat(e.reason())
                            .startsWith(
                                    "The request body is declared as Content-Encoding [gzip] but cannot be decoded");
                });
    }

    @Test
    void unknownEncoding_isRefusedBecauseTheQueryCannotBeRead() {
        assertThatThrownBy(() -> decoder.decode(headers("br"), Unpooled.wrappedBuffer(QUERY)))
                .isInstanceOfSatisfying(ProxyException.class, e -> {
                    assertThat(e.status().code()).isEqualTo(400);
                    assertThat(e.type()).isEqualTo("sketchgate_unsupported_encoding_exception");
                });
    }

    private static HttpHeaders headers(String encoding) {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (encoding != null) {
            headers.set("Content-Encoding", encoding);
        }
        return headers;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflater =
                new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            deflater.write(data);
        }
        return out.toByteArray();
    }
}
