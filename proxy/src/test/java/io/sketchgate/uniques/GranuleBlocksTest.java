package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which runs of a cover are blocks, and what a block's cached union holds. */
class GranuleBlocksTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant DAY = Instant.parse("2025-01-06T00:00:00Z");

    private final SketchCache cache = new SketchCache(64L << 20);
    /** A block's granule documents, one combination's, in time order, and their sketches by document id. */
    private final List<StoredBuckets.Document> documents = new ArrayList<>();

    private final Map<String, CachedSketch> sketches = new HashMap<>();

    @Test
    void wholeGroupsOfFourGranules_fromAGroupBoundary_areOneBlock() {
        List<SliceCover.Piece> pieces = granules(2, 12); // 02:00 to 14:00

        assertThat(GranuleBlocks.blockEnd(pieces, 0, HOUR))
                .as("02:00 is no boundary")
                .isZero();
        assertThat(GranuleBlocks.blockEnd(pieces, 2, HOUR))
                .as("04:00-12:00, two groups")
                .isEqualTo(10);
        assertThat(GranuleBlocks.blockEnd(pieces, 6, HOUR)).as("08:00-12:00").isEqualTo(10);
        assertThat(GranuleBlocks.blockEnd(pieces, 10, HOUR))
                .as("12:00 with two granules left")
                .isEqualTo(10);
        assertThat(GranuleBlocks.blockEnd(granules(3, 21), 1, HOUR))
                .as("a day cut at 03:10: 04:00-24:00 in one block")
                .isEqualTo(21);
    }

    @Test
    void aRunEndsAtItsFirstIncompleteGroup() {
        List<SliceCover.Piece> pieces = new ArrayList<>(granules(0, 12)); // 00:00 to 12:00
        pieces.set(9, new SliceCover.Partial(granule(9), at(9), at(9).plusSeconds(600)));

        assertThat(GranuleBlocks.blockEnd(pieces, 0, HOUR))
                .as("00:00-08:00; 08:00-12:00 holds a cut granule")
                .isEqualTo(8);
    }

    @Test
    void aGap_anotherLevel_orACutGranule_endsNoBlock() {
        List<SliceCover.Piece> gap = new ArrayList<>(granules(4, 4));
        gap.set(2, granule(7)); // 04, 05, 07, 07
        List<SliceCover.Piece> day = new ArrayList<>(granules(4, 4));
        day.set(3, new SliceCover.Stored(Level.DAY, ZoneOffset.UTC, at(7), at(31)));
        List<SliceCover.Piece> cut = new ArrayList<>(granules(4, 4));
        cut.set(3, new SliceCover.Partial(granule(7), at(7), at(7).plusSeconds(600)));

        assertThat(GranuleBlocks.blockEnd(gap, 0, HOUR)).isZero();
        assertThat(GranuleBlocks.blockEnd(day, 0, HOUR)).isZero();
        assertThat(GranuleBlocks.blockEnd(cut, 0, HOUR)).isZero();
    }

    @ParameterizedTest(name = "{0} values an hour")
    @CsvSource({"30", "450", "5000"}) // an exact block, one past the exact limit, and dense hours
    void aBlocksUnion_isTheUnionOfItsGranules_bitForBit_andIsMadeOnce(int perHour) {
        Union oneByOne = new Union(14);
        for (int hour = 0; hour < GranuleBlocks.GRANULES; hour++) {
            HllSketch sketch = HllSketch.create(14);
            for (int i = 0; i < perHour; i++) {
                sketch.add("user-" + (hour * perHour / 2 + i)); // half of each hour's users seen the hour before
            }
            StoredBuckets.Document document = document(hour, sketch.estimate(), perHour);
            documents.add(document);
            sketches.put(document.id(), CachedSketch.of(sketch));
            oneByOne.add(sketch);
        }

        CachedSketch block = GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, sketches);

        assertThat(block.decoded().serialize()).isEqualTo(oneByOne.toSketch().serialize());
        assertThat(block.decoded().isExact()).isEqualTo(oneByOne.isExact());
        assertThat(cache.weightedSize())
                .as("the block's sketch, and a key per granule")
                .isGreaterThan(block.memoryBytes() + GranuleBlocks.GRANULES * 48L);
        assertThat(GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, Map.of()))
                .as("cached: its granules' sketches are not needed again")
                .isSameAs(block);
    }

    @Test
    void aRunsUnion_isMadeFromItsGroupsUnions_whichAreCachedToo() {
        Union oneByOne = new Union(14);
        for (int hour = 0; hour < 2 * GranuleBlocks.GRANULES; hour++) { // 00:00-08:00, two groups
            HllSketch sketch = HllSketch.create(14);
            for (int i = 0; i < 450; i++) {
                sketch.add("user-" + (hour * 200 + i));
            }
            StoredBuckets.Document document = document(hour, sketch.estimate(), 450);
            documents.add(document);
            sketches.put(document.id(), CachedSketch.of(sketch));
            oneByOne.add(sketch);
        }
        List<StoredBuckets.Document> laterGroup = documents.subList(GranuleBlocks.GRANULES, documents.size());

        CachedSketch run = GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, sketches);

        assertThat(run.decoded().serialize()).isEqualTo(oneByOne.toSketch().serialize());
        assertThat(GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, laterGroup, Map.of()))
                .as("04:00-08:00 was made on the way and cached: no granule sketch needed")
                .isNotNull();
    }

    @Test
    void aGranuleRewrittenWithOtherEvents_makesANewBlock() {
        oneUserAnHour();
        CachedSketch before = GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, sketches);
        HllSketch late = HllSketch.create(14);
        late.add("user-3");
        late.add("late-user");
        documents.set(3, document(3, 2, 2));
        sketches.put(documents.get(3).id(), CachedSketch.of(late));

        CachedSketch after = GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, sketches);

        assertThat(before.decoded().estimate()).isEqualTo(4);
        assertThat(after.decoded().estimate()).isEqualTo(5);
    }

    @Test
    void aMissingSketch_givesNoBlock_andCachesNone() {
        oneUserAnHour();
        sketches.remove(documents.get(2).id());

        assertThat(GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents, sketches))
                .isNull();
        assertThat(cache.weightedSize()).isZero();
    }

    @Test
    void aValueInOneGranuleOfTheBlock_isNoBlock_butThatGranuleAsItIs() {
        oneUserAnHour();

        assertThat(GranuleBlocks.union(cache, "uv-index", "v1", 14, HOUR, documents.subList(1, 2), sketches))
                .isNull();
        assertThat(cache.weightedSize()).isZero();
    }

    /** The block's documents, each granule with its own user, and their sketches. */
    private void oneUserAnHour() {
        for (int hour = 0; hour < GranuleBlocks.GRANULES; hour++) {
            HllSketch sketch = HllSketch.create(14);
            sketch.add("user-" + hour);
            documents.add(document(hour, 1, 1));
            sketches.put(documents.get(hour).id(), CachedSketch.of(sketch));
        }
    }

    private static StoredBuckets.Document document(int hour, long uv, long pv) {
        return new StoredBuckets.Document(
                "1h-" + hour + "-DE",
                1,
                1,
                "1h",
                "UTC",
                at(hour),
                List.of("DE", "__all__"),
                uv,
                pv,
                true,
                at(hour + 1),
                PageViewSteps.NONE,
                EventMillis.NONE,
                new SketchSlot());
    }

    private static List<SliceCover.Piece> granules(int fromHour, int count) {
        List<SliceCover.Piece> pieces = new ArrayList<>();
        for (int hour = fromHour; hour < fromHour + count; hour++) {
            pieces.add(granule(hour));
        }
        return pieces;
    }

    private static SliceCover.Stored granule(int hour) {
        return new SliceCover.Stored(Level.GRANULE, ZoneOffset.UTC, at(hour), at(hour + 1));
    }

    private static Instant at(int hour) {
        return DAY.plus(HOUR.multipliedBy(hour));
    }
}
