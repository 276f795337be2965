package io.sketchgate.transport;

import io.netty.buffer.ByteBuf;
import java.util.OptionalLong;

/**
 * Reads Elasticsearch's {@code "took":N} from the first bytes of a response without parsing or holding it:
 * search responses start with it. Used for the daily budget of Elasticsearch time.
 */
final class TookSniffer {
    private static final byte[] KEY = "\"took\":".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int WINDOW = 64;

    private TookSniffer() {}

    static OptionalLong took(ByteBuf firstChunk) {
        int start = firstChunk.readerIndex();
        int end = Math.min(firstChunk.writerIndex(), start + WINDOW);
        outer:
        for (int i = start; i + KEY.length < end; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (firstChunk.getByte(i + k) != KEY[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int digits = 0;
            for (int j = i + KEY.length; j < firstChunk.writerIndex() && digits < 18; j++, digits++) {
                byte b = firstChunk.getByte(j);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
            }
            return digits == 0 ? OptionalLong.empty() : OptionalLong.of(value);
        }
        return OptionalLong.empty();
    }
}
