package io.sketchgate.proxy;

/** Sizes the way the configuration writes them, for messages: {@code 10mb}, {@code 512kb}, {@code 17b}. */
final class ByteSizes {
    private ByteSizes() {
    }

    static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "gb";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "mb";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "kb";
        }
        return bytes + "b";
    }
}
