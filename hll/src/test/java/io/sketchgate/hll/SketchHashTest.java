package io.sketchgate.hll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Known answers pin the hash forever. The vectors were cross-checked against Guava's
 * {@code Hashing.murmur3_128(0).hashBytes(utf8).asLong()}, the same function Elasticsearch's
 * cardinality aggregation uses for strings.
 */
class SketchHashTest {

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            value = {
                "''|0x0000000000000000",
                "a|0x85555565f6597889",
                "42|0xb68fda223f324f6c",
                "-7|0x99f33c1a1c875d28",
                "0|0x2ac9debed546a380",
                "hello|0xcbd8a7b341bd9b02",
                "user-123456789|0xcf7287982d381b07",
                "0123456789abcdef|0x4be06d94cf4ad1a7",
                "0123456789abcdefX|0xcdebd2acb570d6f7",
                "é日本|0xf820ce21274cb667",
                "The quick brown fox jumps over the lazy dog|0xe34bbc7bbc071b6c",
                "1.5|0xba62b0394c5a15c8",
                "9223372036854775807|0x636591a2ccd7073b",
                "-9223372036854775808|0x4df5c9b71982a38d",
            })
    void hash_ofString_matchesTheKnownAnswer(String value, String expectedHex) {
        assertThat(SketchHash.hash(value)).isEqualTo(Long.parseUnsignedLong(expectedHex.substring(2), 16));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"42", "0", "-7", "9223372036854775807", "-9223372036854775808", "1000000", "-1"})
    void hash_ofLong_equalsHashOfItsDecimalString(long value) {
        assertThat(SketchHash.hash(value)).isEqualTo(SketchHash.hash(Long.toString(value)));
    }

    @Test
    void add_ofNumberOrItsString_isTheSameUser() {
        HllSketch numbers = HllSketch.create();
        numbers.add(42L);
        numbers.add(42.0);
        numbers.add("42");

        assertThat(numbers.estimate()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "42.0, 42",
        "-0.0, 0",
        "0.0, 0",
        "1.5, 1.5",
        "0.1, 0.1",
        "-2.25, -2.25",
        "0.001, 0.001",
        "1.0E-7, 0.0000001",
        "123456.789, 123456.789",
        "1.0E20, 100000000000000000000",
        "9.007199254740993E15, 9007199254740992",
        "0.30000000000000004, 0.30000000000000004",
        "2.0E-3, 0.002",
    })
    void canonical_ofDouble_isTheShortestPlainDecimal(double value, String expected) {
        assertThat(SketchHash.canonical(value)).isEqualTo(expected);
        assertThat(SketchHash.hash(value)).isEqualTo(SketchHash.hash(expected));
    }

    @Test
    void canonical_ofLargestDouble_isWrittenOutWithoutExponent() {
        assertThat(SketchHash.canonical(Double.MAX_VALUE)).isEqualTo("17976931348623157" + "0".repeat(292));
    }

    @Test
    void canonical_ofNonFiniteDouble_isRejected() {
        assertThatThrownBy(() -> SketchHash.hash(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot hash a non-finite number: NaN");
        assertThatThrownBy(() -> SketchHash.canonical(Double.NEGATIVE_INFINITY))
                .hasMessage("cannot hash a non-finite number: -Infinity");
    }
}
