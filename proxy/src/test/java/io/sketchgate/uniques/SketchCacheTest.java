package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.hll.HllSketch;
import io.sketchgate.hll.Union;
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
}
