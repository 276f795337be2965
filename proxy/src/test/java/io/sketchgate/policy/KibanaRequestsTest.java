package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.transport.KibanaFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Kibana 8's real requests (from shared/kibana beside the repository) and the spans their bodies require. */
class KibanaRequestsTest {
    private static final Instant NOW = Instant.parse("2024-05-15T12:00:05Z");

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(
                        "discover_hits_last_15m.json",
                        "2024-05-15T11:45:00Z",
                        "2024-05-15T12:00:00Z",
                        Duration.ofMinutes(15)),
                Arguments.of(
                        "discover_hits_last_90d.json",
                        "2024-02-15T12:00:00Z",
                        "2024-05-15T12:00:00Z",
                        Duration.ofDays(90)),
                Arguments.of(
                        "lens_daily_unique_count_30d.json",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T12:00:00Z",
                        Duration.ofDays(30)),
                Arguments.of(
                        "lens_unique_count_by_top5_terms_30d.json",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T12:00:00Z",
                        Duration.ofDays(30)),
                Arguments.of(
                        "search_with_kql_and_time_range.json",
                        "2024-04-15T12:00:00Z",
                        "2024-05-15T12:00:00Z",
                        Duration.ofDays(30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requiredSpanOfSearch_ofKibanasRequest_isItsTimePickerRange(
            String file, String from, String to, Duration length) throws IOException {
        JsonNode body = load(file).get("body");

        RequiredSpan result = new TimeSpanExtractor().requiredSpanOfSearch(body, "@timestamp", NOW);

        assertThat(result.span()).isEqualTo(TimeSpan.between(Instant.parse(from), Instant.parse(to)));
        assertThat(result.hasTimeFilter()).isTrue();
        assertThat(result.span().length(NOW)).contains(length);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void clamp_ofKibanasRequestTo7Days_keepsTheLastSevenDaysAndEverythingElse(
            String file, String from, String to, Duration length) throws IOException {
        JsonNode original = load(file).get("body");
        TimeSpanExtractor extractor = new TimeSpanExtractor();
        TimeSpan requested =
                extractor.requiredSpanOfSearch(original, "@timestamp", NOW).span();
        TimeSpan window = requested.latest(Duration.ofDays(7), NOW);

        ClampedSearch clamped =
                SearchClamp.clamp((com.fasterxml.jackson.databind.node.ObjectNode) original, "@timestamp", window);

        TimeSpan expected = length.compareTo(Duration.ofDays(7)) <= 0
                ? requested
                : TimeSpan.between(Instant.parse(to).minus(Duration.ofDays(7)), Instant.parse(to));
        assertThat(extractor
                        .requiredSpanOfSearch(clamped.body(), "@timestamp", NOW)
                        .span())
                .isEqualTo(expected);
        assertThat((Object) clamped.body().get("query").get("bool").get("must").get(0))
                .isEqualTo(original.get("query"));
        assertThat((Object) clamped.body().without("query"))
                .isEqualTo(((com.fasterxml.jackson.databind.node.ObjectNode) original.deepCopy()).without("query"));
    }

    static Stream<String> requestsWithoutBody() {
        return Stream.of(
                "async_search_poll_get.json", "health_version_check_nodes_info.json", "startup_calls_misc.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requestsWithoutBody")
    void requiredSpanOfSearch_ofABodylessRequest_isUnbounded(String file) throws IOException {
        JsonNode body = load(file).get("body");

        RequiredSpan result = new TimeSpanExtractor().requiredSpanOfSearch(body, "@timestamp", NOW);

        assertThat(result.span().isUnbounded()).isTrue();
        assertThat(result.hasTimeFilter()).isFalse();
    }

    private static JsonNode load(String file) throws IOException {
        try (InputStream in = Files.newInputStream(KibanaFixtures.directory().resolve(file))) {
            return Json.MAPPER.readTree(in);
        }
    }
}
