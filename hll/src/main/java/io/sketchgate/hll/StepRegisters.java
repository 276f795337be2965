package io.sketchgate.hll;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The registers of a sketch past its exact limit, told apart by the step (minute) of a bucket in which their values
 * had events, so that the sketch of the values of a whole-step prefix or suffix of the bucket can be rebuilt
 * without its values: {@link #before(int)} is the sketch of the values with an event before a step, {@link
 * #from(int)} of those with an event at that step or later.
 *
 * <p>Why that is exact: a register of a sketch is the highest rank among the values hashed to it, so the sketch of
 * the values with an event from step s is, register by register, the highest rank of an event at step s or later.
 * For each register it is enough to keep the events no other event of the same register outranks from both sides:
 * an event (step, rank) matters to the suffixes unless another has a later or equal step and an equal or higher
 * rank, and to the prefixes unless another has an earlier or equal step and an equal or higher rank. Those two
 * staircases hold one or two events in most registers (the records of a short random sequence). The rebuilt sketch
 * is bit for bit the one the values themselves would make ({@code StepRegistersTest}).
 *
 * <p>An event may also say where in its step it fell ({@link #add(long, int, int)}: one of {@value #SUB_STEPS}
 * sub-steps, the millisecond within a minute): the staircases are then kept in that finer time, and a cut at any
 * sub-step is as exact as one on a whole step ({@link StoredStepRegisters#from(int, int)}). The sub-steps are
 * serialized apart ({@link #serializeWithSubSteps}), so the step form alone still answers whole steps.
 *
 * <p>A cut inside a bucket on both sides (steps 10 to 20 of 60) is not answered: it needs the values' other events.
 *
 * <p>This is the recorder (the precompute's, one per granule): not thread-safe; {@link #serialize} writes the form a
 * question reads back as {@link StoredStepRegisters}, which keeps only those bytes.
 */
public final class StepRegisters {
    /** Serialized form: this byte, the precision, then per register with events its index gap and events. */
    static final byte FORMAT = 1;

    public static final int MAX_STEPS = 256;

    /** How many sub-steps a step has at most: sub-steps are serialized as two bytes. */
    public static final int SUB_STEPS = 1 << 16;

    private static final int NONE = -1;

    private final int precision;
    /** Per register, the first of its events in {@link #events}, or {@link #NONE}. */
    private final int[] head;
    /**
     * {@code (step << 16 | subStep) << 8 | rank}, linked per register through {@link #next}; dropped events are
     * unlinked.
     */
    private long[] events;

    private int[] next;
    private int used;

    private StepRegisters(int precision, int capacity) {
        this.precision = precision;
        this.head = new int[1 << precision];
        Arrays.fill(head, NONE);
        this.events = new long[capacity];
        this.next = new int[capacity];
    }

    /** One event of a register, as the recorder or a serialized form lists them; its time as {@link #time}. */
    @FunctionalInterface
    interface EventConsumer {
        void accept(int register, long time, int rank);
    }

    /** Every event of some step registers, to one consumer. */
    @FunctionalInterface
    interface Events {
        void forEach(EventConsumer consumer);
    }

    public static StepRegisters create(int precision) {
        HllSketch.checkPrecision(precision);
        return new StepRegisters(precision, 64);
    }

    public int precision() {
        return precision;
    }

    /** A value hashed with {@link SketchHash} had an event at {@code step} (0 to {@value #MAX_STEPS} - 1). */
    public void add(long hash, int step) {
        add(hash, step, 0);
    }

    /**
     * A value hashed with {@link SketchHash} had an event at sub-step {@code subStep} (0 to {@value #SUB_STEPS} - 1)
     * of {@code step} (0 to {@value #MAX_STEPS} - 1).
     */
    public void add(long hash, int step, int subStep) {
        if (step < 0 || step >= MAX_STEPS) {
            throw new IllegalArgumentException("step " + step + " is outside 0.." + (MAX_STEPS - 1));
        }
        if (subStep < 0 || subStep >= SUB_STEPS) {
            throw new IllegalArgumentException("sub-step " + subStep + " is outside 0.." + (SUB_STEPS - 1));
        }
        add(DenseRegisters.index(hash, precision), time(step, subStep), DenseRegisters.rank(hash, precision));
    }

    /** An event's place in the bucket, in sub-steps: the order the staircases keep. */
    static long time(int step, int subStep) {
        return (long) step << 16 | subStep;
    }

    private void add(int register, long time, int rank) {
        if (outrankedBothWays(register, time, rank, NONE)) {
            return; // no prefix or suffix of the bucket has this event as its register's highest
        }
        if (used == events.length) {
            events = Arrays.copyOf(events, used * 2);
            next = Arrays.copyOf(next, used * 2);
        }
        events[used] = time << 8 | rank;
        next[used] = head[register];
        head[register] = used++;
        prune(register);
    }

    /** Unlinks the events of a register that no longer matter to any prefix or suffix. */
    private void prune(int register) {
        int previous = NONE;
        for (int at = head[register]; at != NONE; at = next[at]) {
            if (outrankedBothWays(register, events[at] >>> 8, (int) (events[at] & 0xFF), at)) {
                if (previous == NONE) {
                    head[register] = next[at];
                } else {
                    next[previous] = next[at];
                }
            } else {
                previous = at;
            }
        }
    }

    /**
     * Whether an event of {@code register} at ({@code time}, {@code rank}) is outranked by another of its events at
     * the same or a later time and by one at the same or an earlier time; {@code self} is the event's own slot, or
     * {@link #NONE} for one not linked yet.
     */
    private boolean outrankedBothWays(int register, long time, int rank, int self) {
        boolean fromLater = false;
        boolean fromEarlier = false;
        for (int at = head[register]; at != NONE; at = next[at]) {
            if (at == self) {
                continue;
            }
            long t = events[at] >>> 8;
            int r = (int) (events[at] & 0xFF);
            // two events of one time and rank never coexist (add keeps the first), so no two drop each other
            if (r >= rank) {
                fromLater |= t >= time;
                fromEarlier |= t <= time;
            }
        }
        return fromLater && fromEarlier;
    }

    /** The sketch of the values with an event at {@code step} or later. */
    public HllSketch from(int step) {
        return from(step, 0);
    }

    /** The sketch of the values with an event before {@code step}. */
    public HllSketch before(int step) {
        return before(step, 0);
    }

    /** The sketch of the values with an event at sub-step {@code subStep} of {@code step} or later. */
    public HllSketch from(int step, int subStep) {
        return select(precision, time(step, subStep), true, this::forEachRecorded);
    }

    /** The sketch of the values with an event before sub-step {@code subStep} of {@code step}. */
    public HllSketch before(int step, int subStep) {
        return select(precision, time(step, subStep), false, this::forEachRecorded);
    }

    /** Register by register, the highest rank among the events on the chosen side of {@code time} ({@link #time}). */
    static HllSketch select(int precision, long time, boolean later, Events events) {
        byte[] registers = new byte[1 << precision];
        boolean[] any = {false};
        events.forEach((register, t, rank) -> {
            if ((later ? t >= time : t < time) && rank > registers[register]) {
                registers[register] = (byte) rank;
                any[0] = true;
            }
        });
        // no value: the empty sketch, which a union adds as nothing (empty registers would make it dense)
        return any[0]
                ? new HllSketch(precision, HllSketch.DEFAULT_EXACT_LIMIT, null, registers)
                : HllSketch.create(precision);
    }

    /** Events kept, for tests and sizing. */
    public int eventCount() {
        int[] count = {0};
        forEachRecorded((register, time, rank) -> count[0]++);
        return count[0];
    }

    /** Bytes held: the per-register heads and the events (eight bytes each, and four of their links), dropped ones too. */
    public long memoryBytes() {
        return 64L + 4L * head.length + 12L * events.length;
    }

    /** The recorder's events, register by register in ascending order. */
    private void forEachRecorded(EventConsumer consumer) {
        for (int register = 0; register < head.length; register++) {
            for (int at = head[register]; at != NONE; at = next[at]) {
                consumer.accept(register, events[at] >>> 8, (int) (events[at] & 0xFF));
            }
        }
    }

    /**
     * {@link #FORMAT}, the precision, then for each register with events, ascending: the gap from the previous such
     * register (varint, the first counted from -1), then its events as two bytes each, the step, and the rank with
     * the top bit set when another event of the register follows.
     */
    public byte[] serialize() {
        return serializeWithSubSteps().steps();
    }

    /**
     * {@link #serialize}'s bytes and the sub-step of every event they hold, in their order: two bytes each,
     * big-endian (read back with {@link StoredStepRegisters#withSubSteps}). One pass over the events for both.
     */
    public Serialized serializeWithSubSteps() {
        int count = eventCount();
        ByteArrayOutputStream steps = new ByteArrayOutputStream(16 + count * 3);
        ByteArrayOutputStream subSteps = new ByteArrayOutputStream(count * 2);
        steps.write(FORMAT);
        steps.write(precision);
        int previous = -1;
        long[] sorted = new long[8];
        for (int register = 0; register < head.length; register++) {
            if (head[register] == NONE) {
                continue;
            }
            writeVarint(steps, register - previous - 1);
            previous = register;
            int kept = 0;
            for (int at = head[register]; at != NONE; at = next[at]) {
                if (kept == sorted.length) {
                    sorted = Arrays.copyOf(sorted, kept * 2);
                }
                sorted[kept++] = events[at];
            }
            // by time, then rank: the same events give the same bytes whatever order they came in (a resumed job)
            Arrays.sort(sorted, 0, kept);
            for (int i = 0; i < kept; i++) {
                long event = sorted[i];
                steps.write((int) (event >>> 24)); // the step
                steps.write((int) (event & 0xFF) | (i + 1 < kept ? 0x80 : 0));
                subSteps.write((int) (event >>> 16) & 0xFF);
                subSteps.write((int) (event >>> 8) & 0xFF);
            }
        }
        return new Serialized(steps.toByteArray(), subSteps.toByteArray());
    }

    /** The step form ({@link #serialize}) and its events' sub-steps, in the same order. */
    public record Serialized(byte[] steps, byte[] subSteps) {}

    private static void writeVarint(ByteArrayOutputStream out, int value) {
        while ((value & ~0x7F) != 0) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }
}
