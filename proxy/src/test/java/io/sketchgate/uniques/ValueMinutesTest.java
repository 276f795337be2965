package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.SketchHash;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which values of a granule a cut keeps, from their first and last minutes, recorded while the granule was built. */
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
    void aRecordedValueKeepsItsEarliestAndLatestMinute_inWhateverOrderItsEventsCame() {
        MinuteRecorder recorder = new MinuteRecorder();
        long hash = SketchHash.hash("u");
        recorder.record(hash, 30);
        recorder.record(hash, 7);
        recorder.record(hash, 44);
        recorder.record(hash, 12);
        HllSketch sketch = HllSketch.create(14);
        sketch.addHash(hash);

        byte[] steps = Base64.getDecoder().decode(recorder.encode(sketch.exactHashes()));

        assertThat(steps).containsExactly(7, 44);
    }

    @Test
    void aRecorderPastTheExactLimit_saysSo() {
        MinuteRecorder recorder = new MinuteRecorder();
        for (int i = 0; i < HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            assertThat(recorder.record(SketchHash.hash(i), i % 60)).isTrue();
        }
        assertThat(recorder.record(SketchHash.hash(-1L), 0)).isFalse();
    }

    @Test
    void aGranulesAccumulator_countsItsRecorderInItsBytes_untilItHasTooManyValues() {
        BucketAccumulator plain = new BucketAccumulator(14, 5_000_000);
        BucketAccumulator withMinutes = BucketAccumulator.withMinutes(14, 5_000_000);
        for (int i = 0; i < 100; i++) {
            plain.addHash(SketchHash.hash(i));
            withMinutes.addHash(SketchHash.hash(i), i % 60);
        }
        assertThat(withMinutes.memoryBytes()).isGreaterThan(plain.memoryBytes());

        for (int i = 100; i <= HllSketch.DEFAULT_EXACT_LIMIT; i++) {
            plain.addHash(SketchHash.hash(i));
            withMinutes.addHash(SketchHash.hash(i), i % 60);
        }
        assertThat(withMinutes.memoryBytes()).as("the recorder dropped").isEqualTo(plain.memoryBytes());
        assertThat(withMinutes.valueMinutes(withMinutes.toSketch()))
                .as("registers: no values")
                .isEmpty();
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
        assertThat(ValueMinutes.of(GRANULE.sketch, JsonNodeFactory.instance.missingNode()))
                .as("a document without minutes")
                .isEmpty();
    }

    private record Stored(HllSketch sketch, String field, ValueMinutes minutes) {}

    private static Stored stored(Map<String, int[]> events) {
        MinuteRecorder recorder = new MinuteRecorder();
        HllSketch sketch = HllSketch.create(14);
        events.forEach((user, minutes) -> {
            for (int minute : minutes) {
                recorder.record(SketchHash.hash(user), minute);
            }
            sketch.add(user);
        });
        String field = recorder.encode(sketch.exactHashes());
        return new Stored(sketch, field, of(sketch, field).orElseThrow());
    }

    private static Optional<ValueMinutes> of(HllSketch sketch, String field) {
        return ValueMinutes.of(sketch, JsonNodeFactory.instance.textNode(field));
    }

    private static Set<String> users(HllSketch sketch) {
        Set<Long> hashes = java.util.Arrays.stream(sketch.exactHashes()).boxed().collect(Collectors.toSet());
        return EVENTS.keySet().stream()
                .filter(user -> hashes.contains(SketchHash.hash(user)))
                .collect(Collectors.toSet());
    }
}
