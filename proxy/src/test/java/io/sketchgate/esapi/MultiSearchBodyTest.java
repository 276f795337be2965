package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiSearchBodyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T20:30:00Z");
    private static final IndexTargets PATH = IndexExpressions.parse("weblogs-*", NOW);

    private static MultiSearchBody parse(String body) {
        return MultiSearchBody.parse(body.getBytes(StandardCharsets.UTF_8), "application/x-ndjson", PATH, NOW);
    }

    @ParameterizedTest(name = "{0} gives searches on {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "{}\\n{}\\n                                            ~ weblogs-*",
                "{}\\r\\n{}\\r\\n                                      ~ weblogs-*",
                "\\n{}\\n                                              ~ weblogs-*",
                "{\"index\":\"a,b\"}\\n{}\\n{\"index\":[\"c\",\"d-*\",\"-d-1\"]}\\n{}\\n ~ a,b;c,d-*,-d-1",
                "{\"index\":\"_all\"}\\n{}\\n                          ~ ALL",
                "{\"indices\":\"x\"}\\n{}\\n                           ~ x",
                "{\"index\":\"%3Clogs-%7Bnow%2Fd%7D%3E\"}\\n{}\\n          ~ %3Clogs-%7Bnow%2Fd%7D%3E",
                "{\"index\":\"<logs-{now/d}>\"}\\n{}\\n                   ~ logs-2026.11.25",
                "{\"index\":\"eu:logs\"}\\n{}\\n                        ~ eu:logs",
                "{}\\n{}\\n\\n{\"size\":0}\\n                          ~ weblogs-*;weblogs-*",
                "{}\\n{}\\n{\"index\":\"x\"}\\n                        ~ weblogs-*",
            })
    void goodBodies_splitIntoSearchesWithTheirIndices(String body, String targets) {
        MultiSearchBody parsed = parse(body.replace("\\n", "\n").replace("\\r", "\r"));
        assertThat(String.join(
                        ";",
                        parsed.items().stream()
                                .map(item -> item.targets().toString())
                                .toList()))
                .isEqualTo(targets);
    }

    @ParameterizedTest(name = "{0} is rejected: {1}")
    @CsvSource(
            delimiter = '~',
            value = {
                "{}\\n{}                       ~ 2 ~ line 2 of the _msearch body: the _msearch body must end with a newline [\\n]",
                "{}                            ~ 1 ~ line 1 of the _msearch body: the _msearch body must end with a newline [\\n]",
                "{}\\n\\n                      ~ 2 ~ line 2 of the _msearch body: a search body line must be a JSON object, found an empty line",
                "{} {}\\n{}\\n                 ~ 1 ~ line 1 of the _msearch body: Trailing token (of type START_OBJECT) found after value (bound as `com.fasterxml.jackson.databind.JsonNode`): not allowed as per `DeserializationFeature.FAIL_ON_TRAILING_TOKENS`",
                "{}\\n{}\\n{}\\ngarbage\\n     ~ 4 ~ line 4 of the _msearch body: Unrecognized token 'garbage': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                "{}\\n[1]\\n                   ~ 2 ~ line 2 of the _msearch body: expected a JSON object",
                "{\"index\":{}}\\n{}\\n        ~ 1 ~ line 1 of the _msearch body: [index] must be a string or an array of strings",
                "{}\\n{\"a\":1,\"a\":2}\\n     ~ 2 ~ line 2 of the _msearch body: Duplicate field 'a'",
            })
    void malformedBodies_areATypedErrorNamingTheLine(String body, int line, String message) {
        assertThatThrownBy(() -> parse(body.replace("\\n", "\n")))
                .isInstanceOfSatisfying(MalformedMultiSearchException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).isEqualTo(message.replace("[\\n]", "[\\n]"));
                    assertThat(e.type()).isEqualTo("sketchgate_msearch_parse_exception");
                });
    }

    @Test
    void itemsCarryTheirLineNumbersAndByteRanges() {
        String body = "{\"index\":\"a\"}\r\n{\"query\":{}}\r\n{}\n{\"size\":1}\n";
        List<MultiSearchBody.Item> items = parse(body).items();
        assertThat(items).extracting(MultiSearchBody.Item::headerLine).containsExactly(1, 3);
        MultiSearchBody.Item first = items.get(0);
        assertThat(body.substring(first.bodyRange().start(), first.bodyRange().end()))
                .isEqualTo("{\"query\":{}}\r");
        assertThat(items.get(1).body().path("size").asInt()).isEqualTo(1);
    }

    @Test
    void rebuild_keepsOnlyAllowedSearchesInOrder() {
        MultiSearchBody parsed =
                parse("{\"index\":\"a\"}\n{\"size\":1}\n{\"index\":\"b\"}\n{\"size\":2}\n{}\n{\"size\":3}\n");
        byte[] rebuilt = parsed.rebuild(item -> item.number() != 1);
        assertThat(new String(rebuilt, StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":\"a\"}\n{\"size\":1}\n{}\n{\"size\":3}\n");
    }

    @Test
    void vendorNdjsonContentType_isAccepted_andSmileIsRefused() {
        byte[] body = "{}\n{}\n".getBytes(StandardCharsets.UTF_8);
        assertThat(MultiSearchBody.parse(body, "application/vnd.elasticsearch+x-ndjson; compatible-with=8", PATH, NOW)
                        .items())
                .hasSize(1);
        assertThatThrownBy(() -> MultiSearchBody.parse(body, "application/smile", PATH, NOW))
                .isInstanceOf(RequestClassificationException.class)
                .hasMessage("_msearch bodies must be ndjson; Content-Type [application/smile] cannot be inspected");
    }
}
