package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StepRegistersTest {
    static final int STEPS = 60;

    /** One event: a value's hash and the step it fell in. */
    record Event(long hash, int step) {}

    /** {@code values} values with one to five events each at random steps, shuffled (a source is not sorted). */
    static List<Event> events(int values, long seed) {
        return timedEvents(values, seed).stream()
                .map(e -> new Event(e.hash(), e.step()))
                .toList();
    }

    /** The registers the values with an event in {@code [from, to)} make, added one by one. */
    static byte[] registersOf(List<Event> events, int precision, int from, int to) {
        byte[] registers = new byte[1 << precision];
        for (Event event : events) {
            if (event.step() >= from && event.step() < to) {
                DenseRegisters.update(registers, precision, event.hash());
            }
        }
        return registers;
    }

    /** A sketch's registers; the empty sketch (a cut without values) as all zeros. */
    static byte[] registers(HllSketch sketch) {
        return sketch.isEmpty() ? new byte[1 << sketch.precision()] : sketch.registers();
    }

    static StepRegisters recorded(List<Event> events, int precision) {
        StepRegisters steps = StepRegisters.create(precision);
        events.forEach(e -> steps.add(e.hash(), e.step()));
        return steps;
    }

    @ParameterizedTest
    @ValueSource(ints = {300, 3_000, 40_000})
    void everyPrefixAndSuffix_isTheSketchOfItsOwnValues_bitForBit(int values) {
        List<Event> events = events(values, values);
        StepRegisters steps = recorded(events, 14);
        for (int step = 0; step <= STEPS; step++) {
            assertThat(Arrays.equals(registers(steps.from(step)), registersOf(events, 14, step, STEPS)))
                    .as("values with an event from step %d", step)
                    .isTrue();
            assertThat(Arrays.equals(registers(steps.before(step)), registersOf(events, 14, 0, step)))
                    .as("values with an event before step %d", step)
                    .isTrue();
        }
    }

    @Test
    void theWholeBucket_isTheSketchOfAllItsValues_andItsEstimateTheirs() {
        List<Event> events = events(5_000, 7);
        StepRegisters steps = recorded(events, 14);
        HllSketch all = HllSketch.create(14);
        events.forEach(e -> all.addHash(e.hash()));
        assertThat(steps.from(0).registers()).isEqualTo(all.registers());
        assertThat(steps.from(0).estimate()).isEqualTo(all.estimate());
        assertThat(steps.from(0).isExact()).isFalse();
    }

    @Test
    void onlyTheEventsThatCanBeARegistersHighest_areKept() {
        List<Event> events = events(5_000, 11); // about 15,000 events, 5,000 values, ~4,300 registers set
        StepRegisters steps = recorded(events, 14);
        int registersSet = DenseRegisters.nonZeroCount(steps.from(0).registers(), 1 << 14);
        assertThat(steps.eventCount()).isLessThan(registersSet * 2).isGreaterThanOrEqualTo(registersSet);
    }

    @Test
    void aCutWithoutValues_isTheEmptySketch_notEmptyRegisters() {
        StepRegisters steps = StepRegisters.create(14);
        events(2_000, 5).stream().filter(e -> e.step() >= 10).forEach(e -> steps.add(e.hash(), e.step()));
        assertThat(steps.before(10).isEmpty()).isTrue();
        assertThat(steps.before(11).isEmpty()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 12, 16})
    void theSerializedForm_answersAsTheRecordedOne(int precision) {
        List<Event> events = events(2_000, precision);
        StepRegisters steps = recorded(events, precision);
        StoredStepRegisters read = StoredStepRegisters.read(steps.serialize());
        assertThat(read.precision()).isEqualTo(precision);
        assertThat(read.eventCount()).isEqualTo(steps.eventCount());
        for (int step = 0; step <= STEPS; step += 7) {
            assertThat(read.from(step).registers()).isEqualTo(steps.from(step).registers());
            assertThat(read.before(step).registers())
                    .isEqualTo(steps.before(step).registers());
        }
        assertThat(read.serialize()).isEqualTo(steps.serialize());
    }

    @Test
    void theSameEvents_inAnotherOrder_serializeToTheSameBytes() {
        List<Event> events = events(3_000, 13);
        List<Event> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        assertThat(recorded(reversed, 14).serialize())
                .isEqualTo(recorded(events, 14).serialize());
    }

    @Test
    void nothingRecorded_isAnEmptySketch() {
        StoredStepRegisters steps =
                StoredStepRegisters.read(StepRegisters.create(14).serialize());
        assertThat(steps.from(0).isEmpty()).isTrue();
        assertThat(steps.before(STEPS).isEmpty()).isTrue();
    }

    @Test
    void aStepOutsideTheRange_isRefused() {
        StepRegisters steps = StepRegisters.create(14);
        assertThatThrownBy(() -> steps.add(1L, StepRegisters.MAX_STEPS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 256");
        assertThatThrownBy(() -> steps.add(1L, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedBytes_areAFormatError_namingWhatIsWrong() {
        byte[] good = recorded(events(50, 3), 14).serialize();
        assertThatThrownBy(() -> StoredStepRegisters.read(new byte[] {2, 14}))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("format 1");
        assertThatThrownBy(() -> StoredStepRegisters.read(new byte[] {1, 40}))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("precision 40");
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> StoredStepRegisters.read(truncated))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("end inside");
        assertThatThrownBy(() -> StoredStepRegisters.read(new byte[] {1, 4, 16, 3, 1}))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("register 16");
        assertThatThrownBy(() -> StoredStepRegisters.read(new byte[] {1, 14, 0, 3, 0}))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("rank 0");
    }

    /** One event at a sub-step (a millisecond) of its step (a minute). */
    record TimedEvent(long hash, int step, int subStep) {
        long time() {
            return (long) step * SUB_STEPS_USED + subStep;
        }
    }

    /** The sub-steps a step has here, as a minute has milliseconds. */
    static final int SUB_STEPS_USED = 60_000;

    /** {@code values} values with one to five events each at a random millisecond of a random step, shuffled. */
    static List<TimedEvent> timedEvents(int values, long seed) {
        Random random = new Random(seed);
        List<TimedEvent> events = new ArrayList<>();
        for (int v = 0; v < values; v++) {
            long hash = SketchHash.hash("user-" + seed + "-" + v);
            int count = 1 + random.nextInt(5);
            for (int e = 0; e < count; e++) {
                events.add(new TimedEvent(hash, random.nextInt(STEPS), random.nextInt(SUB_STEPS_USED)));
            }
        }
        Collections.shuffle(events, random);
        return events;
    }

    @ParameterizedTest
    @ValueSource(ints = {2_000, 40_000})
    void withSubSteps_aCutAnywhereInsideAStep_isTheSketchOfItsOwnValues_bitForBit(int values) {
        List<TimedEvent> events = timedEvents(values, values);
        StepRegisters steps = StepRegisters.create(14);
        events.forEach(e -> steps.add(e.hash(), e.step(), e.subStep()));
        StoredStepRegisters read = StoredStepRegisters.read(steps.serialize())
                .withSubSteps(steps.serializeWithSubSteps().subSteps());
        assertThat(read.hasSubSteps()).isTrue();
        Random random = new Random(values);
        for (int i = 0; i < 200; i++) {
            // a third of the cuts at an event's own millisecond or the one after it: where an off-by-one shows
            TimedEvent near = events.get(random.nextInt(events.size()));
            long time = switch (i % 3) {
                case 0 -> near.time();
                case 1 -> near.time() + 1;
                default -> (long) random.nextInt(STEPS * SUB_STEPS_USED);
            };
            int step = (int) (time / SUB_STEPS_USED);
            int subStep = (int) (time % SUB_STEPS_USED);
            byte[] fromTruth = new byte[1 << 14];
            byte[] beforeTruth = new byte[1 << 14];
            for (TimedEvent event : events) {
                DenseRegisters.update(event.time() >= time ? fromTruth : beforeTruth, 14, event.hash());
            }
            assertThat(Arrays.equals(registers(read.from(step, subStep)), fromTruth))
                    .as("values with an event from %d ms", time)
                    .isTrue();
            assertThat(Arrays.equals(registers(read.before(step, subStep)), beforeTruth))
                    .as("values with an event before %d ms", time)
                    .isTrue();
            assertThat(Arrays.equals(registers(steps.from(step, subStep)), fromTruth))
                    .isTrue();
        }
    }

    @Test
    void eventsWithSubSteps_stillAnswerWholeSteps_withoutTheirSubSteps() {
        List<TimedEvent> events = timedEvents(3_000, 17);
        StepRegisters steps = StepRegisters.create(14);
        events.forEach(e -> steps.add(e.hash(), e.step(), e.subStep()));
        StoredStepRegisters stepsOnly = StoredStepRegisters.read(steps.serialize());
        assertThat(stepsOnly.hasSubSteps()).isFalse();
        for (int step = 0; step <= STEPS; step += 5) {
            byte[] before = new byte[1 << 14];
            for (TimedEvent event : events) {
                if (event.step() < step) {
                    DenseRegisters.update(before, 14, event.hash());
                }
            }
            assertThat(Arrays.equals(registers(stepsOnly.before(step)), before)).isTrue();
        }
        assertThatThrownBy(() -> stepsOnly.from(3, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sub-steps");
    }

    @Test
    void subStepsOfTheWrongLength_areAFormatError_andASubStepOutsideTheRangeIsRefused() {
        StepRegisters steps = StepRegisters.create(14);
        timedEvents(100, 3).forEach(e -> steps.add(e.hash(), e.step(), e.subStep()));
        StoredStepRegisters read = StoredStepRegisters.read(steps.serialize());
        byte[] subSteps = steps.serializeWithSubSteps().subSteps();
        assertThat(subSteps).hasSize(2 * read.eventCount());
        assertThatThrownBy(() -> read.withSubSteps(Arrays.copyOf(subSteps, subSteps.length - 2)))
                .isInstanceOf(SketchFormatException.class)
                .hasMessageContaining("two bytes an event");
        assertThatThrownBy(() -> steps.add(1L, 0, StepRegisters.SUB_STEPS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sub-step 65536");
    }
}
