package io.sketchgate.hll;

/**
 * Step registers read back from their serialized form ({@link StepRegisters#serialize}): the checked bytes, about two
 * an event, read again on each cut, and their sub-steps when kept ({@link #withSubSteps}). A question's cache holds
 * these, not the recorder's per-register arrays.
 */
public final class StoredStepRegisters {
    private final int precision;
    private final byte[] serialized;
    private final int events;
    /** {@link StepRegisters#serializeWithSubSteps}'s bytes, or null: whole steps only. */
    private final byte[] subSteps;

    private StoredStepRegisters(int precision, byte[] serialized, int events, byte[] subSteps) {
        this.precision = precision;
        this.serialized = serialized;
        this.events = events;
        this.subSteps = subSteps;
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
        decode(bytes, null, (register, time, rank) -> events[0]++);
        return new StoredStepRegisters(precision, bytes.clone(), events[0], null);
    }

    /**
     * These registers with their events' sub-steps ({@link StepRegisters#serializeWithSubSteps}), which answer cuts
     * inside a step; a {@link SketchFormatException} unless they are two bytes for each event.
     */
    public StoredStepRegisters withSubSteps(byte[] bytes) {
        if (bytes.length != 2 * events) {
            throw new SketchFormatException(
                    "sub-steps of " + bytes.length + " bytes for " + events + " events (two bytes an event)");
        }
        return new StoredStepRegisters(precision, serialized, events, bytes.clone());
    }

    /** Whether the events' sub-steps are known: cuts inside a step are then answered too. */
    public boolean hasSubSteps() {
        return subSteps != null;
    }

    public int precision() {
        return precision;
    }

    /** The sketch of the values with an event at {@code step} or later. */
    public HllSketch from(int step) {
        return select(StepRegisters.time(step, 0), true);
    }

    /** The sketch of the values with an event before {@code step}. */
    public HllSketch before(int step) {
        return select(StepRegisters.time(step, 0), false);
    }

    /** The sketch of the values with an event at sub-step {@code subStep} of {@code step} or later. */
    public HllSketch from(int step, int subStep) {
        return select(withinStep(step, subStep), true);
    }

    /** The sketch of the values with an event before sub-step {@code subStep} of {@code step}. */
    public HllSketch before(int step, int subStep) {
        return select(withinStep(step, subStep), false);
    }

    private long withinStep(int step, int subStep) {
        if (subSteps == null && subStep != 0) {
            throw new IllegalStateException("a cut inside a step needs the events' sub-steps, which are not known");
        }
        return StepRegisters.time(step, subStep);
    }

    private HllSketch select(long time, boolean later) {
        return StepRegisters.select(precision, time, later, consumer -> decode(serialized, subSteps, consumer));
    }

    /** Events kept, for tests and sizing. */
    public int eventCount() {
        return events;
    }

    /** Bytes held: the serialized events and their sub-steps. */
    public long memoryBytes() {
        return 56L + serialized.length + (subSteps == null ? 0 : 16L + subSteps.length);
    }

    /** The serialized form read, a copy. */
    public byte[] serialize() {
        return serialized.clone();
    }

    /**
     * Every event of a serialized form, checked: anything malformed is a {@link SketchFormatException}. With {@code
     * subSteps} (already checked to hold one per event), each event's time is within its step.
     */
    private static void decode(byte[] bytes, byte[] subSteps, StepRegisters.EventConsumer consumer) {
        int registers = 1 << bytes[1];
        int register = -1;
        int at = 2;
        int event = 0;
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
                int subStep = subSteps == null ? 0 : (subSteps[2 * event] & 0xFF) << 8 | subSteps[2 * event + 1] & 0xFF;
                event++;
                consumer.accept(register, StepRegisters.time(step, subStep), rank);
            }
        }
    }
}
