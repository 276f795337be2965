package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A range's {@code format} is compiled once, not on every governed query (its formatters dominated the time check). */
class DateFormatsTest {

    @Test
    void theSameFormatText_isCompiledOnce_andStillParses() {
        DateFormat first = DateFormats.forPattern("strict_date_optional_time||epoch_millis")
                .orElseThrow();
        DateFormat again = DateFormats.forPattern("strict_date_optional_time||epoch_millis")
                .orElseThrow();
        assertThat(again).isSameAs(first);
        assertThat(DateFormats.forPattern("yyyy-MM-dd HH:mm").orElseThrow())
                .isSameAs(DateFormats.forPattern("yyyy-MM-dd HH:mm").orElseThrow());
        assertThat(again.parse("2024-05-01T00:00:00Z", false)).isNotNull();
        assertThat(again.parse("1714521600000", false).epoch()).hasToString("2024-05-01T00:00:00Z");
    }

    @Test
    void aBadFormat_failsEveryTime_notOnlyTheFirst() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> DateFormats.forPattern("strict_date_optional_time||"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("No date pattern provided");
        }
    }
}
