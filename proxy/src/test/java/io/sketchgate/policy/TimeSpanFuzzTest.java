package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Mutates the table's queries at random (seeded): the extractor and the clamp may only ever answer with a span or a
 * {@link TimeSpanException}, never another exception.
 */
class TimeSpanFuzzTest {
    private static final long SEED = 20260915L;
    private static final int ROUNDS = 5_000;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String[] KEYS = {
        "bool",
        "filter",
        "must",
        "should",
        "must_not",
        "range",
        "@timestamp",
        "gte",
        "gt",
        "lte",
        "lt",
        "from",
        "to",
        "format",
        "time_zone",
        "include_lower",
        "minimum_should_match",
        "constant_score",
        "dis_max",
        "queries",
        "match_none",
        "nested",
        "boost",
        "query"
    };
    private static final String[] TEXTS = {
        "now",
        "now-1d/d",
        "now+1M/M",
        "now/w",
        "2026-09-01",
        "2026-09-01||+1d",
        "2026-02-30",
        "2026-09-01T10:00:00.000+09:00",
        "1713182400000",
        "-1",
        "",
        "now-",
        "now/2d",
        "||",
        "nowx",
        "epoch_millis",
        "epoch_second",
        "yyyy-MM-dd",
        "YYYY",
        "basic_date",
        "dd/MM/yyyy||epoch_millis",
        "Asia/Seoul",
        "+25:00",
        "strict_date_optional_time",
        "100%",
        "-1",
        "2<-25%",
        "9999999999999999999",
        "99999-01-01",
        "now-2147483648d",
        "\u0661\u0662",
        "true"
    };

    private final TimeSpanExtractor extractor = new TimeSpanExtractor();

    @Test
    void requiredSpanAndClamp_ofMutatedQueries_onlyEverThrowTimeSpanException() {
        Random random = new Random(SEED);
        List<JsonNode> seeds = new ArrayList<>();
        TimeSpanExtractorTest.rows().forEach(row -> seeds.add(Json.parse(row.query())));
        int answered = 0;
        int rejected = 0;
        for (int i = 0; i < ROUNDS; i++) {
            JsonNode query = seeds.get(random.nextInt(seeds.size())).deepCopy();
            for (int m = 1 + random.nextInt(4); m > 0; m--) {
                query = mutate(query, random, 0);
            }
            ObjectNode body = JSON.objectNode();
            body.set("query", query);
            try {
                RequiredSpan span = extractor.requiredSpanOfSearch(body, "@timestamp", TimeSpanExtractorTest.NOW);
                TimeSpan window = span.span().latest(Duration.ofDays(1), TimeSpanExtractorTest.NOW);
                ClampedSearch clamped = SearchClamp.clamp(body, "@timestamp", window);
                TimeSpan after = extractor
                        .requiredSpanOfSearch(clamped.body(), "@timestamp", TimeSpanExtractorTest.NOW)
                        .span();
                assertThat(span.span().contains(after))
                        .as("clamping never widens: %s", body)
                        .isTrue();
                answered++;
            } catch (TimeSpanException expected) {
                assertThat(expected.getMessage()).isNotBlank();
                rejected++;
            } catch (RuntimeException | StackOverflowError unexpected) {
                throw new AssertionError("unexpected " + unexpected + " for " + body, unexpected);
            }
        }
        assertThat(answered).isPositive();
        assertThat(rejected).isPositive();
    }

    private static JsonNode mutate(JsonNode node, Random random, int depth) {
        if (depth > 12 || random.nextInt(4) == 0) {
            return replacement(node, random);
        }
        if (node.isObject() && !node.isEmpty()) {
            ObjectNode object = (ObjectNode) node;
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
            Map.Entry<String, JsonNode> pick = entries.get(random.nextInt(entries.size()));
            switch (random.nextInt(5)) {
                case 0 -> object.remove(pick.getKey());
                case 1 -> object.set(KEYS[random.nextInt(KEYS.length)], pick.getValue());
                default -> object.set(pick.getKey(), mutate(pick.getValue(), random, depth + 1));
            }
            return object;
        }
        if (node.isArray() && !node.isEmpty()) {
            ArrayNode array = (ArrayNode) node;
            int index = random.nextInt(array.size());
            if (random.nextBoolean()) {
                array.add(array.get(index).deepCopy());
            } else {
                array.set(index, mutate(array.get(index), random, depth + 1));
            }
            return array;
        }
        return replacement(node, random);
    }

    private static JsonNode replacement(JsonNode original, Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> JSON.nullNode();
            case 1 -> JSON.numberNode(random.nextLong());
            case 2 -> JSON.numberNode(random.nextDouble() * 1e13);
            case 3 -> JSON.booleanNode(random.nextBoolean());
            case 4 -> JSON.arrayNode().add(original.deepCopy());
            case 5 -> JSON.objectNode().set(KEYS[random.nextInt(KEYS.length)], original.deepCopy());
            case 6 -> JSON.objectNode();
            default -> JSON.textNode(TEXTS[random.nextInt(TEXTS.length)]);
        };
    }
}
