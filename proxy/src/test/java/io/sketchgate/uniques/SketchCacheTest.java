package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
import java.time.Instant;
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
        @SuppressWarnings("unchecked") // the cache's own map: what an _mget would have put
        Cache<Object, CachedSketch> held = (Cache<Object, CachedSketch>) cache.statistics();
        held.put(SketchCache.key("uv-web", "v1", cachedOne), sketch);
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

    private static StoredBuckets.Document document(String id) {
        return new StoredBuckets.Document(
                id, 1, 1, "1h", "UTC", Instant.EPOCH, List.of(), 10, 20, true, Instant.EPOCH, null);
    }
}
