package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The small languages inside config values: durations, sizes, ${VAR}, key suggestions. */
class SyntaxTest {

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({"0s, 0", "500ms, 500", "30s, 30000", "5m, 300000", "2h, 7200000", "31d, 2678400000"})
    void duration_withUnit_parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            120         | needs a unit, like 120s (units: ms, s, m, h, d)
            5 s         | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            5S          | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            1.5s        | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            -5s         | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            1w          | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            PT5S        | must be a duration like 5s or 500ms (units: ms, s, m, h, d)
            99999999999999999999d | is too long a duration
            """)
    void duration_malformed_isRejectedWithItsReason(String text, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> Durations.parse(text))
                .withMessage(message);
    }

    @ParameterizedTest(name = "{0} ms prints as {1}")
    @CsvSource({"0, 0s", "1, 1ms", "1500, 1500ms", "120000, 2m", "86400000, 1d", "90000, 90s"})
    void duration_printsInTheLargestExactUnit(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({"512b, 512", "16kb, 16384", "10mb, 10485760", "1gb, 1073741824", "10MB, 10485760", "2Kb, 2048", "0b, 0"
    })
    void size_withUnit_parses1024BasedAndCaseInsensitive(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            16384              | needs a unit, like 10mb or 16384b (units: b, kb, mb, gb)
            10 megs            | must be a size like 10mb (units: b, kb, mb, gb)
            10m                | must be a size like 10mb (units: b, kb, mb, gb)
            1.5mb              | must be a size like 10mb (units: b, kb, mb, gb)
            1tb                | must be a size like 10mb (units: b, kb, mb, gb)
            99999999999999gb   | is too large a size
            """)
    void size_malformed_isRejectedWithItsReason(String text, String message) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ByteSizes.parse(text))
                .withMessage(message);
    }

    @ParameterizedTest(name = "{0} bytes print as {1}")
    @CsvSource({"0, 0b", "1, 1b", "1536, 1536b", "16384, 16kb", "10485760, 10mb", "1073741824, 1gb"})
    void size_printsInTheLargestExactUnit(long bytes, String text) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(text);
    }

    @ParameterizedTest(name = "\"{0}\" becomes \"{1}\"")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            plain                  | plain
            ${USER}                | ada
            x-${USER}-y            | x-ada-y
            ${EMPTY}               | ''
            ${EMPTY:-fallback}     | fallback
            ${UNSET:-fallback}     | fallback
            ${UNSET:-}             | ''
            ${USER:-fallback}      | ada
            ${UNSET:-a:-b}         | a:-b
            $${USER}               | ${USER}
            $$${USER}              | $${USER}
            cost $5 {x} $          | cost $5 {x} $
            """)
    void environmentSubstitution_resolvesLikeAShell(String raw, String expected) {
        EnvironmentSubstitution substitution = new EnvironmentSubstitution(Map.of("USER", "ada", "EMPTY", ""));

        assertThat(substitution.apply(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ${UNSET}        | environment variable UNSET is not set; set it or give a default with ${UNSET:-default}
            ${USER          | has a ${ without its closing }; write $${ for a literal ${
            ${}             | "${}" is not a valid environment variable reference, use ${NAME} or ${NAME:-default} (write $${ for a literal ${)
            ${1X}           | "${1X}" is not a valid environment variable reference, use ${NAME} or ${NAME:-default} (write $${ for a literal ${)
            ${USER-x}       | "${USER-x}" is not a valid environment variable reference, use ${NAME} or ${NAME:-default} (write $${ for a literal ${)
            """)
    void environmentSubstitution_malformedOrUnset_isRejected(String raw, String message) {
        EnvironmentSubstitution substitution = new EnvironmentSubstitution(Map.of("USER", "ada"));

        assertThatIllegalArgumentException()
                .isThrownBy(() -> substitution.apply(raw))
                .withMessage(message);
    }

    @ParameterizedTest(name = "{0} suggests {1}")
    @CsvSource(
            nullValues = "none",
            value = {
                "listners, listeners", "maxBody, max_body", "max-body, max_body", "MAX_BODY, max_body", "xyz, none",
                "max_bdy, max_body", "prot, port", "tsl, tls", "timeout, none", "hots, host"
            })
    void unknownKey_suggestsTheClosestAllowedKey(String unknown, String suggestion) {
        List<String> allowed = List.of("listeners", "max_body", "port", "host", "tls", "idle_timeout");

        assertThat(KeySuggestions.closest(unknown, allowed).orElse(null)).isEqualTo(suggestion);
    }
}
