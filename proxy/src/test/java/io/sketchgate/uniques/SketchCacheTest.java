package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What the sketch cache keeps for a sketch, and what that weighs. */
class SketchCacheTest {

    @ParameterizedTest(name = "{0} values: {1}")
    @CsvSource({
        "40, decoded exact set, 1000",
        "1000, decoded exact set, 8500",
        "1100, stored sparse bytes, 4096",
        "200000, decoded registers, 16500"
    })
    void aSketch_isCachedInItsSmallestUsableForm(int values, String form, long atMostBytes) {
        HllSketch sketch = HllSketch.create(14);
        for (int i = 0; i < values; i++) {
            sketch.add("user-" + i);
        }
        HllSketch decoded = HllSketch.deserialize(sketch.serialize());

        CachedSketch cached = SketchCache.compact(decoded, sketch.serialize());

        assertThat(
                        cached.stored() != null
                                ? "stored sparse bytes"
                                : cached.decoded().isExact() ? "decoded exact set" : "decoded registers")
                .isEqualTo(form);
        assertThat(cached.memoryBytes()).isLessThanOrEqualTo(atMostBytes);
        Union union = new Union(14);
        cached.addTo(union);
        assertThat(union.estimate()).isEqualTo(sketch.estimate());
    }

    @ParameterizedTest(name = "{0} values")
    @CsvSource({"40", "1100", "200000"})
    void aCachedSketch_remembersItsOwnCount_asAUnionOfItAloneGivesIt(int values) {
        HllSketch sketch = HllSketch.create(14);
        for (int i = 0; i < values; i++) {
            sketch.add("user-" + i);
        }
        CachedSketch cached = SketchCache.compact(HllSketch.deserialize(sketch.serialize()), sketch.serialize());
        Union alone = new Union(14);
        cached.addTo(alone);

        CachedSketch.Estimate first = cached.estimate(14, 2);

        assertThat(first.uv()).isEqualTo(alone.estimate());
        assertThat(first.lower()).isEqualTo(alone.lowerBound(2));
        assertThat(first.upper()).isEqualTo(alone.upperBound(2));
        assertThat(first.exact()).isEqualTo(alone.isExact());
        assertThat(cached.estimate(14, 2)).isSameAs(first); // computed once
        assertThat(cached.estimate(12, 2).precision()).isEqualTo(12); // another precision is not the memo
    }

    @org.junit.jupiter.api.Test
    void indexNamesAndVersions_areOneInstanceEach_soKeysCompareByIdentity() {
        String first = new String("sketchgate-uv-web".toCharArray());
        String again = new String("sketchgate-uv-web".toCharArray());

        assertThat(SketchCache.canonical(first)).isSameAs(first);
        assertThat(SketchCache.canonical(again)).isSameAs(first).isNotSameAs(again);
    }

    @org.junit.jupiter.api.Test
    void everyLookup_isCounted_documentsPerBatchAndBlocksOneByOne() {
        SketchCache cache = new SketchCache(1 << 20);
        StoredBuckets.Document cachedOne = document("cached");
        StoredBuckets.Document missingOne = document("missing");
        CachedSketch sketch = CachedSketch.of(HllSketch.create(14));
        cache.put(SketchCache.key("uv-web", "v1", cachedOne), sketch); // what an _mget would have put
        SketchCache.BlockKey block = new SketchCache.BlockKey(
                List.of(SketchCache.key("uv-web", "v1", cachedOne), SketchCache.key("uv-web", "v1", missingOne)));
        long[] hits = {0};

        SketchCache.Lookup lookup = cache.lookup("uv-web", "v1", List.of(cachedOne, missingOne, cachedOne), hits);
        assertThat(cache.block(block)).isNull();
        cache.putBlock(block, sketch);
        assertThat(cache.block(block)).isSameAs(sketch);

        assertThat(lookup.missing()).containsExactly(missingOne);
        assertThat(hits[0]).isEqualTo(2);
        CacheStats stats = cache.stats();
        assertThat(stats.hitCount()).isEqualTo(3); // the document twice, the block once
        assertThat(stats.missCount()).isEqualTo(2); // the missing document, the block before it was made
    }

    @ParameterizedTest(name = "documents looked up while the cache filled: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void lookups_findExactlyWhatCaffeineHolds_afterEvictionsAndReplacements(boolean slotsFilled) {
        SketchCache cache = new SketchCache(64 << 10); // about six sketches of 10,000 values
        List<StoredBuckets.Document> documents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            StoredBuckets.Document document = document("doc-" + i);
            documents.add(document);
            cache.put(SketchCache.key("uv-web", "v1", document), sketchOf(10_000));
            if (slotsFilled) { // every document held so far takes its sketch into its slot
                cache.lookup("uv-web", "v1", documents, new long[1]);
            }
        }
        StoredBuckets.Document replaced = documents.get(39);
        CachedSketch newer = sketchOf(10);
        cache.put(SketchCache.key("uv-web", "v1", replaced), newer);
        cache.statistics().cleanUp();

        SketchCache.Lookup lookup = cache.lookup("uv-web", "v1", documents, new long[1]);

        assertThat(cache.statistics().estimatedSize()).isBetween(1L, 8L);
        assertThat(cache.residentCount()).isEqualTo((int) cache.statistics().estimatedSize());
        assertThat(lookup.found()).hasSize(cache.residentCount());
        for (String id : lookup.found().keySet()) {
            StoredBuckets.Document document = documents.get(Integer.parseInt(id.substring(4)));
            assertThat(held(cache).policy().getIfPresentQuietly(SketchCache.key("uv-web", "v1", document)))
                    .isSameAs(lookup.found().get(id));
        }
        assertThat(lookup.found().get(replaced.id())).isSameAs(newer);
        assertThat(cache.weightedSize()).isLessThanOrEqualTo(64 << 10);
    }

    @org.junit.jupiter.api.Test
    void aDocumentKeepsTheSketchItFound_andLosesIt_whenCaffeineRemovesIt() {
        SketchCache cache = new SketchCache(64 << 10); // about six sketches of 10,000 values
        StoredBuckets.Document first = document("doc-first");
        CachedSketch sketch = sketchOf(10_000);
        cache.put(SketchCache.key("uv-web", "v1", first), sketch);

        cache.lookup("uv-web", "v1", List.of(first), new long[1]);

        String index = SketchCache.canonical("uv-web");
        String version = SketchCache.canonical("v1");
        assertThat(first.sketchSlot().get(index, version)).isSameAs(sketch);
        assertThat(first.sketchSlot().get(index, SketchCache.canonical("v2")))
                .as("another definition version is not served from the slot")
                .isNull();
        for (int i = 0; i < 40; i++) { // push it out
            cache.put(SketchCache.key("uv-web", "v1", document("doc-" + i)), sketchOf(10_000));
        }
        cache.statistics().cleanUp();
        assertThat(held(cache).policy().getIfPresentQuietly(SketchCache.key("uv-web", "v1", first)))
                .isNull();
        assertThat(first.sketchSlot().isEmpty())
                .as("an evicted sketch is not kept alive by its document")
                .isTrue();
        assertThat(cache.lookup("uv-web", "v1", List.of(first), new long[1]).missing())
                .containsExactly(first);
    }

    @org.junit.jupiter.api.Test
    void aSketchLookedUpOften_leavesCaffeinesColdestEnd_thoughHitsAreNotReadFromCaffeine() {
        SketchCache cache = new SketchCache(16 << 10); // about twenty small exact sketches
        List<StoredBuckets.Document> documents = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            documents.add(document("doc-" + i));
            cache.put(SketchCache.key("uv-web", "v1", documents.get(i)), sketchOf(40));
        }
        cache.statistics().cleanUp();
        Object coldest = held(cache)
                .policy()
                .eviction()
                .orElseThrow()
                .coldest(1)
                .keySet()
                .iterator()
                .next();
        StoredBuckets.Document looked = documents.stream()
                .filter(d -> SketchCache.key("uv-web", "v1", d).equals(coldest))
                .findFirst()
                .orElseThrow();

        for (int i = 0; i < 200; i++) { // the first in this minute reaches Caffeine
            assertThat(cache.lookup("uv-web", "v1", List.of(looked), new long[1])
                            .found())
                    .hasSize(1);
        }
        cache.statistics().cleanUp();

        assertThat(held(cache).policy().eviction().orElseThrow().coldest(3).keySet())
                .doesNotContain(coldest);
    }

    @org.junit.jupiter.api.Test
    void aCachedSketch_isTouchedOncePerPeriod() {
        CachedSketch sketch = sketchOf(40);

        assertThat(sketch.firstTouchIn(7)).isTrue();
        assertThat(sketch.firstTouchIn(7)).isFalse();
        assertThat(sketch.firstTouchIn(8)).isTrue();
        assertThat(sketchOf(40).firstTouchIn(0)).isTrue(); // never touched: any period is the first
    }

    @SuppressWarnings("unchecked") // the cache's own Caffeine cache, keyed by Key and BlockKey
    private static Cache<Object, CachedSketch> held(SketchCache cache) {
        return (Cache<Object, CachedSketch>) cache.statistics();
    }

    private static CachedSketch sketchOf(int values) {
        HllSketch sketch = HllSketch.create(14);
        for (int i = 0; i < values; i++) {
            sketch.add("user-" + i);
        }
        return CachedSketch.of(HllSketch.deserialize(sketch.serialize()));
    }

    private static StoredBuckets.Document document(String id) {
        return new StoredBuckets.Document(
                id,
                1,
                1,
                "1h",
                "UTC",
                Instant.EPOCH,
                List.of(),
                10,
                20,
                true,
                Instant.EPOCH,
                null,
                EventMillis.NONE,
                new SketchSlot());
    }
}
