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
    void aFailedParse_isRemembered_andThrownAgainToTheNextReader() {
        ParsedRequest parsed = request("/logs/_search", "{not json");

        Throwable first = org.assertj.core.api.Assertions.catchThrowable(parsed::json);
        Throwable second = org.assertj.core.api.Assertions.catchThrowable(parsed::json);

        assertThat(first).isInstanceOf(ProxyException.class).isSameAs(second);
    }
}
