package io.sketchgate.hll;

/**
 * A serialized sketch checked once, kept in its stored form: the compact way to hold a sparse sketch (1–2 bytes a
 * set register instead of 2^p). {@link Union#add(StoredSketch)} folds it as it is, entry by entry, without the
 * checks again and without decoding it into a register array first.
 */
public final class StoredSketch {
    private final byte[] bytes;
    private final SketchFormat.Header header = new SketchFormat.Header();

    private StoredSketch(byte[] bytes) {
        SketchFormat.read(bytes, header); // every byte, sparse entries included
        this.bytes = bytes;
    }

    /**
     * @param bytes a serialized sketch, no longer modified by the caller
     * @throws SketchFormatException as {@link HllSketch#deserialize(byte[])} does
     */
    public static StoredSketch of(byte[] bytes) {
        return new StoredSketch(bytes);
    }

    /** The stored bytes' length. */
    public int length() {
        return bytes.length;
    }

    byte[] bytes() {
        return bytes;
    }

    SketchFormat.Header header() {
        return header;
    }
}
