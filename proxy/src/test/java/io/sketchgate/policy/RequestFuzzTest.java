package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.KibanaFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated Kibana requests through a real proxy with policy on, against real Elasticsearch. Every input
 * gets an answer within the timeout (no hang), never a 500 from Sketchgate, an Elasticsearch-shaped error when it
 * is refused, and never a policy bypass.
 *
 * <p>Bypass oracle: the governed index holds documents only in 1987, and the role allows at most 7 days and
 * requires a time filter. A query that reaches Elasticsearch legitimately can only see 1987 through a 7-day window
 * placed there, which no mutation of Kibana's recorded (2024) requests produces; so any 2xx that shows a document
 * (hits, totals or bucket counts) means a request got around the policy.
 */
@RealElasticsearch
class RequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INPUTS = 2_500;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMutatedRequest_isAnsweredOrRefusedInShape_andNoneBypassesThePolicy(
            TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = IndexNames.unique("fuzzlogs");
        es.requests()
                .createIndex(
                        index,
                        "{\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},"
                                + "\"user\":{\"properties\":{\"id\":{\"type\":\"keyword\"}}},\"country\":{\"type\":\"keyword\"}}}}");
        List<Map<String, Object>> docs = new ArrayList<>();
        Instant start = Instant.parse("1987-03-01T00:00:00Z");
        for (int i = 0; i < 500; i++) {
            docs.add(Map.of(
                    "@timestamp",
                    start.plus(Duration.ofHours(i)).toString(),
                    "user",
                    Map.of("id", "u" + (i % 37)),
                    "country",
                    i % 2 == 0 ? "KR" : "DE"));
        }
        es.requests().bulkIndex(index, docs);
        ProxyUnderTest.Builder config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
                .user("mallory", "analyst")
                .yaml("""
                        roles: { analyst: { indices: ["fuzzlogs-*"], max_time_range: 7d, require_time_filter: true } }
                        index_time_fields: { "fuzzlogs-*": "@timestamp" }
                        """);

        List<byte[]> seeds = seedBodies();
        SplittableRandom random = new SplittableRandom(20261125);
        Map<String, Integer> outcomes = new TreeMap<>();
        try (ProxyUnderTest proxy = config.start(dir)) {
            URI base = proxy.baseUri();
            for (int i = 0; i < INPUTS; i++) {
                Mutant mutant = mutate(seeds.get(random.nextInt(seeds.size())), random);
                String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/" + index + endpoint))
                        .header("Authorization", ApiClient.basic("mallory", ProxyUnderTest.PASSWORD))
                        .header(
                                "content-type",
                                endpoint.contains("msearch") ? "application/x-ndjson" : "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(
                                endpoint.contains("msearch") ? msearch(mutant.body) : mutant.body));
                if (mutant.gzip) {
                    request.header("content-encoding", "gzip");
                }
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                String what = "input " + i + " (" + mutant.kind + ") to " + endpoint + ": "
                        + new String(mutant.body, 0, Math.min(300, mutant.body.length), StandardCharsets.ISO_8859_1);
                check(response, what);
                outcomes.merge(response.statusCode() + " " + errorType(response), 1, Integer::sum);
            }
        }
        System.out.println("RequestFuzzTest: " + INPUTS + " inputs; outcomes: " + outcomes);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(INPUTS);
    }

    private static final String[] ENDPOINTS = {
        "/_search",
        "/_search?size=0",
        "/_count",
        "/_async_search",
        "/_msearch",
        "/_search?rest_total_hits_as_int=true",
        "/_validate/query",
        "/_explain/1"
    };

    private static void check(HttpResponse<String> response, String what) throws IOException {
        int status = response.statusCode();
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + status + ") for " + what + ": " + response.body(), e);
        }
        assertThat(response.headers().firstValue("X-elastic-product")).as(what).contains("Elasticsearch");
        if (status == 404 && body.has("_id")) {
            return; // Elasticsearch's own answer for a document that does not exist (_explain)
        }
        if (status >= 400) {
            assertThat(body.at("/error/type").isTextual() || body.at("/error").isTextual())
                    .as(what + " → " + response.body())
                    .isTrue();
            String type = body.at("/error/type").asText("");
            assertThat(status >= 500 && type.startsWith("sketchgate_"))
                    .as("Sketchgate 5xx for " + what + " → " + response.body())
                    .isFalse();
            assertThat(type)
                    .as("unexpected failure for " + what + " → " + response.body())
                    .isNotEqualTo("sketchgate_internal_exception");
            return;
        }
        assertThat(showsDocuments(body))
                .as("policy bypass: " + what + " → " + response.body())
                .isFalse();
    }

    /** Whether a successful answer reveals any document of the governed index. */
    private static boolean showsDocuments(JsonNode node) {
        if (node.isObject()) {
            JsonNode total = node.path("hits").get("total");
            if (total != null
                    && (total.isNumber()
                            ? total.asLong() > 0
                            : total.path("value").asLong() > 0)) {
                return true;
            }
            JsonNode count = node.get("count");
            if (count != null && count.isNumber() && count.asLong() > 0) {
                return true;
            }
            JsonNode docCount = node.get("doc_count");
            if (docCount != null && docCount.asLong() > 0) {
                return true;
            }
            JsonNode hits = node.get("hits");
            if (hits != null && hits.isArray() && !hits.isEmpty()) {
                return true;
            }
            if (node.path("matched").asBoolean(false)) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (showsDocuments(child)) {
                return true;
            }
        }
        return false;
    }

    private static String errorType(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body()).at("/error/type").asText("");
        } catch (IOException e) {
            return "?";
        }
    }

    private record Mutant(String kind, byte[] body, boolean gzip) {}

    private static List<byte[]> seedBodies() throws IOException {
        List<byte[]> seeds = new ArrayList<>();
        for (KibanaFixtures.FixtureRequest request : KibanaFixtures.all()) {
            if (request.body() != null && request.body().isObject()) {
                seeds.add(JSON.writeValueAsBytes(request.body()));
            }
        }
        seeds.add("{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"now-900d\",\"lte\":\"now\"}}}}"
                .getBytes(StandardCharsets.UTF_8));
        seeds.add("{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8));
        seeds.add("{\"size\":0,\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}"
                .getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    private static Mutant mutate(byte[] seed, SplittableRandom random) throws IOException {
        return switch (random.nextInt(10)) {
            case 0 -> new Mutant("byte flips", flip(seed, random), false);
            case 1 -> new Mutant("truncated", java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1)), false);
            case 2 -> new Mutant("deep nesting", deepNesting(random.nextInt(50, 5_000)), false);
            case 3 -> new Mutant("huge numbers", replaceNumbers(seed, random), false);
            case 4 -> new Mutant("invalid dates", replaceDates(seed, random), false);
            case 5 -> new Mutant("invalid utf-8", invalidUtf8(seed, random), false);
            case 6 -> new Mutant("gzip garbage", randomBytes(random, random.nextInt(1, 2_000)), true);
            case 7 -> new Mutant("gzip of mutant", gzip(flip(seed, random)), true);
            case 8 -> new Mutant("random json", randomJson(random, 0).getBytes(StandardCharsets.UTF_8), false);
            default -> new Mutant("range moved", moveRange(seed, random), false);
        };
    }

    private static byte[] flip(byte[] seed, SplittableRandom random) {
        byte[] out = seed.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) " {}[]\":,0a-\\".charAt(random.nextInt(12));
        }
        return out;
    }

    private static byte[] deepNesting(int depth) {
        StringBuilder s = new StringBuilder("{\"query\":");
        for (int i = 0; i < depth; i++) {
            s.append("{\"bool\":{\"filter\":[");
        }
        s.append("{\"range\":{\"@timestamp\":{\"gte\":\"now-900d\"}}}");
        for (int i = 0; i < depth; i++) {
            s.append("]}}");
        }
        return s.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] replaceNumbers(byte[] seed, SplittableRandom random) {
        String[] huge = {"99999999999999999999999999", "-1e309", "1e400", "9223372036854775808", "-0", "NaN", "1.5e-400"
        };
        return new String(seed, StandardCharsets.UTF_8)
                .replaceAll("(?<=[:\\[,])\\d{3,}", huge[random.nextInt(huge.length)])
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] replaceDates(byte[] seed, SplittableRandom random) {
        String[] bad = {
            "now-1q",
            "now+-3d",
            "2024-13-45T25:61:00Z",
            "||+1d",
            "now/x",
            "",
            "now-999999999d",
            "0000-00-00",
            "now-1d||-1d",
            "now-90d/d",
            "-292275055-05-16T16:47:04.192Z"
        };
        return new String(seed, StandardCharsets.UTF_8)
                .replaceAll(
                        "\"(now[^\"]*|\\d{4}-\\d{2}-\\d{2}T[^\"]*)\"", "\"" + bad[random.nextInt(bad.length)] + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] invalidUtf8(byte[] seed, SplittableRandom random) {
        byte[] out = seed.clone();
        for (int i = 0; i < 3 && out.length > 0; i++) {
            out[random.nextInt(out.length)] = (byte) (0x80 + random.nextInt(0x7f));
        }
        return out;
    }

    private static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) random.nextInt(256);
        }
        return out;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Moves every range bound far back: only the policy stands between this and a 1987 document. */
    private static byte[] moveRange(byte[] seed, SplittableRandom random) {
        String[] wide = {"now-15000d", "1980-01-01T00:00:00.000Z", "536457600000", "now-40y"};
        return new String(seed, StandardCharsets.UTF_8)
                .replaceAll(
                        "\"(gte|gt|from)\":\\s*(\"[^\"]*\"|\\d+)",
                        "\"$1\":\"" + wide[random.nextInt(wide.length)] + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String randomJson(SplittableRandom random, int depth) {
        String[] keys = {
            "query",
            "range",
            "@timestamp",
            "gte",
            "lte",
            "bool",
            "filter",
            "must",
            "should",
            "aggs",
            "size",
            "match_all",
            "terms",
            "format",
            "time_zone",
            "runtime_mappings",
            "pit",
            "search_after",
            "post_filter"
        };
        int kind = depth > 4 ? random.nextInt(3) : random.nextInt(6);
        return switch (kind) {
            case 0 ->
                "\"" + (random.nextBoolean() ? "now-" + random.nextInt(2000) + "d" : keys[random.nextInt(keys.length)])
                        + "\"";
            case 1 -> Long.toString(random.nextLong());
            case 2 -> random.nextBoolean() ? "null" : "true";
            case 3 -> {
                StringBuilder a = new StringBuilder("[");
                for (int i = random.nextInt(3); i > 0; i--) {
                    a.append(randomJson(random, depth + 1)).append(i > 1 ? "," : "");
                }
                yield a.append(']').toString();
            }
            default -> {
                StringBuilder o = new StringBuilder("{");
                for (int i = random.nextInt(1, 4); i > 0; i--) {
                    o.append('"')
                            .append(keys[random.nextInt(keys.length)])
                            .append("\":")
                            .append(randomJson(random, depth + 1))
                            .append(i > 1 ? "," : "");
                }
                yield o.append('}').toString();
            }
        };
    }

    private static byte[] msearch(byte[] body) {
        String line = new String(body, StandardCharsets.ISO_8859_1).replace('\n', ' ');
        return ("{}\n" + line + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
