package io.sketchgate.hll;

/**
 * Step registers read back from their serialized form ({@link StepRegisters#serialize}): the checked bytes, about two
 * an event, read again on each cut. A question's cache holds these, not the recorder's per-register arrays.
 */
public final class StoredStepRegisters {
    private final int precision;
    private final byte[] serialized;
    private final int events;

    private StoredStepRegisters(int precision, byte[] serialized, int events) {
        this.precision = precision;
        this.serialized = serialized;
        this.events = events;
    }

    /** Reads {@link StepRegisters#serialize}'s bytes; anything malformed is a {@link SketchFormatException}. */
    public static StoredStepRegisters read(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != StepRegisters.FORMAT) {
            throw new SketchFormatException("not step registers of format " + StepRegisters.FORMAT);
        }
        int precision = bytes[1];
        if (precision < HllSketch.MIN_PRECISION || precision > HllSketch.MAX_PRECISION) {
            throw new SketchFormatException("step registers of precision " + precision);
        }
        int[] events = {0};
        decode(bytes, (register, step, rank) -> events[0]++);
        return new StoredStepRegisters(precision, bytes.clone(), events[0]);
    }

    public int precision() {
        return precision;
    }

    /** The sketch of the values with an event at {@code step} or later. */
    public HllSketch from(int step) {
        return StepRegisters.select(precision, step, true, consumer -> decode(serialized, consumer));
    }

    /** The sketch of the values with an event before {@code step}. */
    public HllSketch before(int step) {
        return StepRegisters.select(precision, step, false, consumer -> decode(serialized, consumer));
    }

    /** Events kept, for tests and sizing. */
    public int eventCount() {
        return events;
    }

    /** Bytes held: the serialized events. */
    public long memoryBytes() {
        return 48L + serialized.length;
    }

    /** The serialized form read, a copy. */
    public byte[] serialize() {
        return serialized.clone();
    }

    /** Every event of a serialized form, checked: anything malformed is a {@link SketchFormatException}. */
    private static void decode(byte[] bytes, StepRegisters.EventConsumer consumer) {
        int registers = 1 << bytes[1];
        int register = -1;
        int at = 2;
        while (at < bytes.length) {
            long gap = 0;
            int shift = 0;
            while (true) {
                if (at >= bytes.length || shift > 28) {
                    throw new SketchFormatException("step registers end inside a register gap");
                }
                int b = bytes[at++] & 0xFF;
                gap |= (long) (b & 0x7F) << shift;
                shift += 7;
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (register + gap + 1 >= registers) {
                throw new SketchFormatException(
                        "step registers name register " + (register + gap + 1) + " at precision " + bytes[1]);
            }
            register += (int) gap + 1;
            boolean more = true;
            while (more) {
                if (at + 1 >= bytes.length) {
                    throw new SketchFormatException("step registers end inside an event");
                }
                int step = bytes[at++] & 0xFF;
                int rankAndMore = bytes[at++] & 0xFF;
                int rank = rankAndMore & 0x7F;
                more = (rankAndMore & 0x80) != 0;
                if (rank < 1 || rank > DenseRegisters.MAX_VALUE) {
                    throw new SketchFormatException("step registers hold rank " + rank);
                }
                consumer.accept(register, step, rank);
            }
        }
    }
}
