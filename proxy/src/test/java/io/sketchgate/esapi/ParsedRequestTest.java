package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.http.ProxyException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParsedRequestTest {
    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");
    private final RequestClassifier classifier = new RequestClassifier(Clock.fixed(NOW, ZoneOffset.UTC));

    private ParsedRequest request(String uri, String body) {
        return new ParsedRequest(
                classifier.classify("POST", uri),
                Optional.of(body.getBytes(StandardCharsets.UTF_8)),
                "application/json",
                NOW);
    }

    @Test
    void everyStage_readsTheSameParsedBody() {
        ParsedRequest parsed = request("/logs/_search", "{\"query\":{\"match_all\":{}}}");

        assertThat(parsed.json().get()).isSameAs(parsed.json().get());
        assertThat(parsed.jsonIfReadable().get()).isSameAs(parsed.json().get());
    }

    @Test
    void msearchLines_areParsedOnce() {
        ParsedRequest parsed = request("/_msearch", "{\"index\":\"logs\"}\n{\"query\":{\"match_all\":{}}}\n");

        assertThat(parsed.lines()).isSameAs(parsed.lines());
        assertThat(parsed.lines().items()).hasSize(1);
        assertThat(parsed.json()).isEmpty(); // ndjson is read line by line
    }

    @Test
    void duplicateKeys_areRefused_soNoTwoReadersCanDisagree() {
        ParsedRequest parsed = request(
                "/logs/_search", "{\"query\":{\"match_all\":{}},\"query\":{\"range\":{\"t\":{\"gte\":\"now-1y\"}}}}");

        assertThatThrownBy(parsed::json)
                .isInstanceOf(ProxyException.class)
                .hasMessage("The request body is not valid JSON (Duplicate field 'query', at line 1, column 34)."
                        + " Sketchgate reads query bodies to apply limits; fix the JSON and send it again.");
        assertThat(parsed.jsonIfReadable()).isEmpty();
    }

    @Test
    void kibanaSearch_isOutlinedInOnePass_withoutBuildingTheTree() {
        ParsedRequest parsed = request(
                "/logs-*/_async_search",
                "{\"size\":0,\"runtime_mappings\":{\"hour\":{\"type\":\"long\"}},\"pit\":{\"id\":\"p1\"},"
                        + "\"aggs\":{\"0\":{\"date_histogram\":{\"field\":\"@timestamp\"}}},\"query\":{\"bool\":"
                        + "{\"must\":[],\"filter\":[{\"match_phrase\":{\"a\":\"b\"}},{\"range\":{\"@timestamp\":"
                        + "{\"format\":\"strict_date_optional_time\",\"gte\":\"2024-04-15T12:00:00.000Z\",\"lte\":1715774400000}}}],"
                        + "\"should\":[],\"must_not\":[{\"match_none\":{}}],\"minimum_should_match\":1}}}");

        SearchOutline outline = parsed.outline().orElseThrow();

        assertThat(outline.query())
                .contains(new SearchOutline.Bool(
                        java.util.List.of(),
                        java.util.List.of(
                                SearchOutline.Leaf.OPAQUE,
                                new SearchOutline.Range(
                                        "@timestamp",
                                        java.util.List.of(
                                                new SearchOutline.Param(
                                                        "format",
                                                        SearchOutline.Kind.STRING,
                                                        "strict_date_optional_time"),
                                                new SearchOutline.Param(
                                                        "gte", SearchOutline.Kind.STRING, "2024-04-15T12:00:00.000Z"),
                                                new SearchOutline.Param(
                                                        "lte", SearchOutline.Kind.INTEGER, "1715774400000")))),
                        java.util.List.of(),
                        "1"));
        assertThat(outline.runtimeFields()).containsExactly("hour");
        assertThat(outline.pitId()).contains("p1");
        assertThat(parsed.outline()).isSameAs(parsed.outline());
        parsed.requireReadable(); // vouched for by the outline
    }

    @Test
    void keysWrittenWithUnicodeEscapes_areTheSameKeys() {
        ParsedRequest parsed = request("/logs/_search", "{\"query\":{\"\\u0072ange\":{\"t\":{\"gte\":\"now-1d\"}}}}");

        assertThat(parsed.outline().orElseThrow().query().orElseThrow())
                .isEqualTo(new SearchOutline.Range(
                        "t", java.util.List.of(new SearchOutline.Param("gte", SearchOutline.Kind.STRING, "now-1d"))));
    }

    @Test
    void outline_leavesToTheTree_everyBodyItDoesNotRecognise() {
        String[] bodies = {
            "{\"query\":{\"match_all\":{}},\"size\":1,\"size\":2}", // a duplicate key anywhere
            "{\"query\":{\"match\":{\"a\":\"caf\u00e9\"}}}", // not ASCII
            "{\"query\":{\"constant_score\":{\"filter\":{}}}}",
            "{\"query\":{\"match_all\":{},\"term\":{}}}",
            "{\"query\":null}",
            "{\"query\":{\"bool\":{\"filter\":[1]}}}",
            "{\"query\":{\"range\":{\"a\":{},\"b\":{}}}}",
            "{\"query\":{\"nested\":{\"query\":{\"has_child\":{}}}}}",
            "{\"aggs\":{\"g\":{\"global\":{}}}}",
            "{\"knn\":{\"field\":\"v\"}}",
            "{\"runtime_mappings\":[]}",
            "{\"query\":{}} {}",
            "[]",
            "{\"query\":{\"match_all\":{}}"
        };
        for (String body : bodies) {
            assertThat(request("/logs/_search", body).outline()).as(body).isEmpty();
        }
        assertThat(request("/_msearch", "{}\n{}\n").outline()).isEmpty();
    }

    @Test
    void aNonAsciiByteAnywhere_leavesTheBodyToTheTree() {
        String ascii = "{\"query\":{\"term\":{\"user\":\"abcdefghijklmnopqrstuvwxyz\"}}}";
        assertThat(request("/logs/_search", ascii).outline()).isPresent();
        int value = ascii.indexOf("abc");
        for (int at = value; at < value + 26; at++) { // every offset within and across eight-byte words
            String body = ascii.substring(0, at) + "\u00e9" + ascii.substring(at + 1);
            ParsedRequest parsed = request("/logs/_search", body);

            assertThat(parsed.outline()).as("é at %d", at).isEmpty();
            assertThat(parsed.json()).isPresent();
        }
    }

    @Test
    void whiteSpaceOnly_isNoBody_andWhiteSpaceBeforeNonAscii_isNot() {
        assertThat(request("/logs/_search", " \t\r\n ").json()).isEmpty();
        assertThatThrownBy(() -> request("/logs/_search", " \t\u00e9").json()).isInstanceOf(ProxyException.class);
        assertThat(request("/logs/_search", "  {}  ").outline()).isPresent();
    }

    @Test
    void outline_isNotUsed_onceTheTreeExists() {
        ParsedRequest parsed = request("/logs/_search", "{\"query\":{\"match_all\":{}}}");
        parsed.json();

        assertThat(parsed.outline()).isEmpty();
    }

    @Test
    void requireReadable_failsAsJsonDoes() {
        ParsedRequest parsed = request("/logs/_search", "{\"query\":{\"match_all\":{}},\"query\":{}}");

        assertThatThrownBy(parsed::requireReadable)
                .isInstanceOf(ProxyException.class)
                .hasMessageContaining("Duplicate field 'query'");
    }

    @Test
    void aFailedParse_isRemembered_andThrownAgainToTheNextReader() {
        ParsedRequest parsed = request("/logs/_search", "{not json");

        Throwable first = org.assertj.core.api.Assertions.catchThrowable(parsed::json);
        Throwable second = org.assertj.core.api.Assertions.catchThrowable(parsed::json);

        assertThat(first).isInstanceOf(ProxyException.class).isSameAs(second);
    }
}
