package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.SketchHash;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Which values of a granule a cut keeps, from their first and last events, recorded while the granule was built:
 * to the minute ({@code value_minutes} alone, as written before {@code value_millis}) and to the millisecond.
 */
class ValueMinutesTest {
    private static final long MINUTE = 60_000;

    /** User → the minutes (of a 60-minute granule) with an event. */
    private static final Map<String, int[]> EVENTS = new TreeMap<>(Map.of(
            "early", new int[] {2, 5},
            "late", new int[] {50, 58},
            "across", new int[] {3, 55},
            "middle", new int[] {20, 30, 40},
            "once", new int[] {37}));

    private static final Stored GRANULE = stored(EVENTS);

    @Test
    void aHeadCutOnAWholeMinute_keepsTheValuesWhoseLastMinuteIsInIt_andNothingIsUncertain() {
        GranuleCuts.Cut cut = GRANULE.minutes.cut(37 * MINUTE, 60 * MINUTE, 60 * MINUTE, 14);

        assertThat(users(cut.inside())).isEqualTo(Set.of("late", "across", "middle", "once"));
        assertThat(cut.uncertain().isEmpty()).isTrue();
    }

    @Test
    void aTailCutOnAWholeMinute_keepsTheValuesWhoseFirstMinuteIsBeforeItsEnd_andNothingIsUncertain() {
        GranuleCuts.Cut cut = GRANULE.minutes.cut(0, 20 * MINUTE, 60 * MINUTE, 14);

        assertThat(users(cut.inside())).isEqualTo(Set.of("early", "across"));
        assertThat(cut.uncertain().isEmpty()).isTrue();
    }

    @Test
    void aCutInsideTheGranule_isUncertainOnlyForValuesWithEventsOnBothSidesOfIt() {
        GranuleCuts.Cut cut = GRANULE.minutes.cut(10 * MINUTE, 45 * MINUTE, 60 * MINUTE, 14);

        assertThat(users(cut.inside())).as("first or last minute inside").isEqualTo(Set.of("middle", "once"));
        assertThat(users(cut.uncertain()))
                .as("an event before and one after, none known inside")
                .isEqualTo(Set.of("across"));
    }

    @Test
    void aCutOffTheMinute_isUncertainForTheValuesWhoseFirstOrLastMinuteItSplits() {
        // from 37:30: "once" has its only event somewhere in minute 37
        GranuleCuts.Cut cut = GRANULE.minutes.cut(37 * MINUTE + 30_000, 60 * MINUTE, 60 * MINUTE, 14);

        assertThat(users(cut.inside())).isEqualTo(Set.of("late", "across", "middle"));
        assertThat(users(cut.uncertain())).isEqualTo(Set.of("once"));
    }

    @Test
    void withTheirMilliseconds_aCutFromEitherEndOfTheGranule_keepsExactlyTheValuesWithAnEventInIt() {
        Events events = randomEvents(new Random(7), 400);
        ValueMinutes granule = events.parsed();
        assertThat(granule.hasMillis()).isTrue();
        Random random = new Random(8);
        List<Long> instants =
                events.byValue().values().stream().flatMap(List::stream).toList();
        for (int i = 0; i < 2_000; i++) {
            long at = cutAt(random, instants, i % 3);
            long from = i / 3 % 2 == 0 ? 0 : at;
            long to = i / 3 % 2 == 0 ? at : HOUR;
            GranuleCuts.Cut cut = granule.cut(from, to, HOUR, 14);

            assertThat(hashes(cut.inside())).as("[%d, %d)", from, to).isEqualTo(events.withAnEventIn(from, to));
            assertThat(cut.uncertain().isEmpty()).as("[%d, %d)", from, to).isTrue();
        }
    }

    @Test
    void withTheirMilliseconds_aCutInsideTheGranule_boundsItsValues_uncertainOnlyWithEventsOnBothSides() {
        Events events = randomEvents(new Random(9), 400);
        ValueMinutes granule = events.parsed();
        Random random = new Random(10);
        List<Long> instants =
                events.byValue().values().stream().flatMap(List::stream).toList();
        for (int i = 0; i < 3_000; i++) {
            long a = cutAt(random, instants, i % 3);
            long b = cutAt(random, instants, i / 3 % 3);
            long from = Math.min(a, b);
            long to = Math.max(a, b) + (a == b ? 1 : 0);
            GranuleCuts.Cut cut = granule.cut(from, to, HOUR, 14);
            Set<Long> truth = events.withAnEventIn(from, to);
            Set<Long> inside = hashes(cut.inside());
            Set<Long> outer = new HashSet<>(inside);
            outer.addAll(hashes(cut.uncertain()));

            assertThat(truth).as("[%d, %d)", from, to).containsAll(inside);
            assertThat(outer).as("[%d, %d)", from, to).containsAll(truth);
            assertThat(hashes(cut.uncertain()))
                    .as("uncertain: events before and after the cut")
                    .allMatch(hash -> events.first(hash) < from && events.last(hash) >= to);
        }
    }

    @Test
    void millisecondsThatDoNotFitTheMinutes_areNotUsed_andTheMinutesStillAnswer() {
        Events events = randomEvents(new Random(11), 50);
        byte[] millis = Base64.getDecoder().decode(events.millisField());
        byte[] beyondTheMinute = millis.clone();
        beyondTheMinute[0] = (byte) 0xff; // 65,280 ms and more into a minute
        byte[] lastBeforeFirst = millis.clone();
        int sameMinute = events.valueInOneMinute();
        lastBeforeFirst[4 * sameMinute] = (byte) 0xea; // first 59,999+ ms, last earlier in the same minute
        lastBeforeFirst[4 * sameMinute + 1] = (byte) 0x5f;
        lastBeforeFirst[4 * sameMinute + 2] = 0;
        lastBeforeFirst[4 * sameMinute + 3] = 0;

        assertThat(events.parsed(Base64.getEncoder().encodeToString(Arrays.copyOf(millis, millis.length - 4))))
                .as("fewer values than the sketch")
                .satisfies(minutes -> assertThat(minutes.hasMillis()).isFalse());
        assertThat(events.parsed(Base64.getEncoder().encodeToString(beyondTheMinute))
                        .hasMillis())
                .isFalse();
        assertThat(events.parsed(Base64.getEncoder().encodeToString(lastBeforeFirst))
                        .hasMillis())
                .isFalse();
        assertThat(events.parsed("not base64!").hasMillis()).isFalse();
        GranuleCuts.Cut onAMinute = events.parsed("not base64!").cut(20 * MINUTE, HOUR, HOUR, 14);
        assertThat(hashes(onAMinute.inside())).isEqualTo(events.withAnEventIn(20 * MINUTE, HOUR));
    }

    @Test
    void aRecordedValueKeepsItsEarliestAndLatestMinute_inWhateverOrderItsEventsCame() {
        ValueSpanRecorder recorder = new ValueSpanRecorder();
        long hash = SketchHash.hash("u");
        recorder.record(hash, 30 * MINUTE);
        recorder.record(hash, 7 * MINUTE + 1_234);
        recorder.record(hash, 44 * MINUTE + 59_999);
        recorder.record(hash, 12 * MINUTE);
        HllSketch sketch = HllSketch.create(14);
        sketch.addHash(hash);

        byte[] steps = Base64.getDecoder().decode(recorder.encodeMinutes(sketch.exactHashes()));
        byte[] millis = Base64.getDecoder().decode(recorder.encodeMillis(sketch.exactHashes()));

        assertThat(steps).containsExactly(7, 44);
        assertThat(millis).as("1,234 and 59,999, two bytes each").containsExactly(0x04, 0xd2, 0xea, 0x5f);
    }

    @Test
    void aRecorderPastTheExactLimit_saysSo() {
        ValueSpanRecorder recorder = new ValueSpanRecorder();
        for (int i = 0; i < HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            assertThat(recorder.record(SketchHash.hash(i), i % 60 * MINUTE)).isTrue();
        }
        assertThat(recorder.record(SketchHash.hash(-1L), 0)).isFalse();
    }

    @Test
    void aGranulesAccumulator_countsItsRecorderInItsBytes_untilItHasTooManyValues() {
        BucketAccumulator plain = new BucketAccumulator(14, 5_000_000);
        BucketAccumulator withMinutes = BucketAccumulator.withMinutes(14, 5_000_000);
        for (int i = 0; i < 100; i++) {
            plain.addHash(SketchHash.hash(i));
            withMinutes.addHash(SketchHash.hash(i), i % 60 * MINUTE);
        }
        assertThat(withMinutes.memoryBytes()).isGreaterThan(plain.memoryBytes());

        for (int i = 100; i <= HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            plain.addHash(SketchHash.hash(i));
            withMinutes.addHash(SketchHash.hash(i), i % 60 * MINUTE);
        }
        assertThat(withMinutes.memoryBytes()).as("the recorder dropped").isEqualTo(plain.memoryBytes());
        assertThat(withMinutes.valueMinutes(withMinutes.toSketch()))
                .as("registers: no values")
                .isEmpty();
    }

    @Test
    void aCachedGranulesMinutes_shareTheDecodedSketchsHashes_insteadOfHoldingThemTwice() {
        int values = 1000;
        Events events = randomEvents(new Random(11), values);
        HllSketch decoded = HllSketch.deserialize(events.sketch().serialize()); // as the sketch cache reads it
        var minutes = JsonNodeFactory.instance.textNode(events.minutesField());
        var millis = JsonNodeFactory.instance.textNode(events.millisField());
        ValueMinutes.of(decoded, minutes, millis).orElseThrow(); // classes loaded, code run once

        long read = allocatedBy(() -> ValueMinutes.of(decoded, minutes, millis).orElseThrow());
        long fieldsAlone = allocatedBy(() -> {
            Base64.getDecoder().decode(events.minutesField());
            Base64.getDecoder().decode(events.millisField());
        });

        assertThat(read - fieldsAlone)
                .as(
                        "allocated besides decoding its two fields: no copy of the %d hashes (%d bytes)",
                        values, 8 * values)
                .isLessThan(8L * values / 4);
        assertThat(ValueMinutes.of(decoded, minutes, millis).orElseThrow().memoryBytes())
                .as("the minutes (2 bytes a value) and milliseconds (4), not the hashes the sketch counts")
                .isLessThan(7L * values);
    }

    private static long allocatedBy(Runnable work) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        work.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void minutesThatDoNotFitTheSketch_areNotUsed() {
        String good = GRANULE.field;
        byte[] shorter = Base64.getDecoder().decode(good);
        byte[] reversed = shorter.clone();
        reversed[0] = 59; // a first minute after its last
        reversed[1] = 2;

        assertThat(of(GRANULE.sketch, good)).isPresent();
        assertThat(of(GRANULE.sketch, Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(shorter, 8))))
                .as("fewer values than the sketch")
                .isEmpty();
        assertThat(of(GRANULE.sketch, Base64.getEncoder().encodeToString(reversed)))
                .isEmpty();
        assertThat(of(GRANULE.sketch, "not base64!")).isEmpty();
        HllSketch registers = HllSketch.create(14);
        for (int i = 0; i <= HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            registers.add(i);
        }
        assertThat(of(registers, good))
                .as("a sketch with registers has no values")
                .isEmpty();
        assertThat(ValueMinutes.of(
                        GRANULE.sketch, JsonNodeFactory.instance.missingNode(), JsonNodeFactory.instance.missingNode()))
                .as("a document without minutes")
                .isEmpty();
    }

    private static final long HOUR = 60 * MINUTE;

    /** Each value's events, at milliseconds of an hour granule, as recorded and stored. */
    private record Events(Map<Long, List<Long>> byValue, HllSketch sketch, String minutesField, String millisField) {
        ValueMinutes parsed() {
            return parsed(millisField);
        }

        ValueMinutes parsed(String millis) {
            return ValueMinutes.of(
                            sketch,
                            JsonNodeFactory.instance.textNode(minutesField),
                            JsonNodeFactory.instance.textNode(millis))
                    .orElseThrow();
        }

        Set<Long> withAnEventIn(long from, long to) {
            return byValue.entrySet().stream()
                    .filter(e -> e.getValue().stream().anyMatch(at -> at >= from && at < to))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }

        long first(long hash) {
            return Collections.min(byValue.get(hash));
        }

        long last(long hash) {
            return Collections.max(byValue.get(hash));
        }

        /** The position, in the stored order, of a value whose events are all in one minute. */
        int valueInOneMinute() {
            long[] hashes = sketch.exactHashes();
            for (int i = 0; i < hashes.length; i++) {
                if (first(hashes[i]) / MINUTE == last(hashes[i]) / MINUTE) {
                    return i;
                }
            }
            throw new IllegalStateException("no value with its events in one minute");
        }
    }

    /** {@code values} values, each with one to six events at random milliseconds of an hour. */
    private static Events randomEvents(Random random, int values) {
        ValueSpanRecorder recorder = new ValueSpanRecorder();
        HllSketch sketch = HllSketch.create(14);
        Map<Long, List<Long>> byValue = new HashMap<>();
        for (int v = 0; v < values; v++) {
            long hash = SketchHash.hash("user-" + v);
            sketch.addHash(hash);
            int count = 1 + random.nextInt(6);
            for (int e = 0; e < count; e++) {
                long at = random.nextInt((int) HOUR);
                recorder.record(hash, at);
                byValue.computeIfAbsent(hash, k -> new ArrayList<>()).add(at);
            }
        }
        return new Events(
                byValue,
                sketch,
                recorder.encodeMinutes(sketch.exactHashes()),
                recorder.encodeMillis(sketch.exactHashes()));
    }

    /** A random millisecond of the hour (way 0), an event's own (1), or the one after an event's (2). */
    private static long cutAt(Random random, List<Long> instants, int way) {
        return way == 0 ? random.nextInt((int) HOUR) : instants.get(random.nextInt(instants.size())) + (way - 1);
    }

    private static Set<Long> hashes(HllSketch sketch) {
        return Arrays.stream(sketch.exactHashes()).boxed().collect(Collectors.toSet());
    }

    private record Stored(HllSketch sketch, String field, ValueMinutes minutes) {}

    /** A granule as written before {@code value_millis}: its values' minutes alone. */
    private static Stored stored(Map<String, int[]> events) {
        ValueSpanRecorder recorder = new ValueSpanRecorder();
        HllSketch sketch = HllSketch.create(14);
        events.forEach((user, minutes) -> {
            for (int minute : minutes) {
                recorder.record(SketchHash.hash(user), minute * MINUTE);
            }
            sketch.add(user);
        });
        String field = recorder.encodeMinutes(sketch.exactHashes());
        return new Stored(sketch, field, of(sketch, field).orElseThrow());
    }

    private static Optional<ValueMinutes> of(HllSketch sketch, String field) {
        return ValueMinutes.of(
                sketch, JsonNodeFactory.instance.textNode(field), JsonNodeFactory.instance.missingNode());
    }

    private static Set<String> users(HllSketch sketch) {
        Set<Long> hashes = java.util.Arrays.stream(sketch.exactHashes()).boxed().collect(Collectors.toSet());
        return EVENTS.keySet().stream()
                .filter(user -> hashes.contains(SketchHash.hash(user)))
                .collect(Collectors.toSet());
    }
}
