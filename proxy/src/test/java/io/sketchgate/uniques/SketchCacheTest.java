package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.hll.HllSketch;
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

        Object cached = SketchCache.compact(decoded, sketch.serialize());

        assertThat(
                        cached instanceof byte[]
                                ? "stored sparse bytes"
                                : decoded.isExact() ? "decoded exact set" : "decoded registers")
                .isEqualTo(form);
        long bytes = cached instanceof byte[] stored ? stored.length : decoded.memoryBytes();
        assertThat(bytes).isLessThanOrEqualTo(atMostBytes);
        if (cached instanceof byte[] stored) {
            assertThat(HllSketch.deserialize(stored).estimate()).isEqualTo(sketch.estimate());
        }
    }
}
