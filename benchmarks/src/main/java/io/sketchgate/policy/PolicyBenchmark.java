package io.sketchgate.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.config.ConfigException;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.RequestClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost of a policy decision on the request path, as {@link Decider} makes it for a governed query: classify the
 * request, parse the body, resolve the strictest limits and check the time span. Identity and alias resolution are
 * left out: in production both are cache hits (Caffeine) after the first request of a user and index expression.
 *
 * <p>{@code lensRequest}: Kibana Lens' "daily unique count over 30 days" {@code _async_search} submit.
 * {@code msearch200}: a 200-search {@code _msearch}, each search checked on its own (µs per whole request).
 * {@code kibanaDistinct}: the whole decision for a typical Kibana request, cycling through {@value #DISTINCT}
 * distinct bodies (Discover, Lens, KQL with match_phrase; each with its own time range and aggregation names) and
 * four users, so that no cache keyed by the body can flatter it. Target: at most 4 µs (issue #18).
 *
 * <p>{@code read}: {@code requireReadable} reads the body as {@code ParsedRequest.requireReadable()} does (the
 * streaming outline; the tree only when the outline does not recognise the body), as {@code Decider} does;
 * {@code json} as it did before the fast path ({@code parsed.json()} before the time check, which builds the tree
 * whatever the time check then uses).
 *
 * <p>Allocation: add {@code -prof gc} and read {@code gc.alloc.rate.norm} (bytes per decision).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'io.sketchgate.policy.PolicyBenchmark' -f 1 -wi 3 -i 5 -w 1s -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PolicyBenchmark {
    private static final String LENS_URI = "/logs-*/_async_search?batched_reduce_size=64&ccs_minimize_roundtrips=true"
            + "&wait_for_completion_timeout=200ms&keep_on_completion=false&keep_alive=60000ms&ignore_unavailable=true"
            + "&track_total_hits=true";
    private static final String LENS_BODY =
            "{\"aggs\":{\"0\":{\"date_histogram\":{\"field\":\"@timestamp\",\"calendar_interval\":\"1d\","
                    + "\"time_zone\":\"Europe/Berlin\",\"extended_bounds\":{\"min\":1713182400000,\"max\":1715774400000}},\"aggs\":{\"1\":"
                    + "{\"cardinality\":{\"field\":\"user.id\"}}}}},\"size\":0,\"fields\":[{\"field\":\"@timestamp\",\"format\":\"date_time\"}],"
                    + "\"script_fields\":{},\"stored_fields\":[\"*\"],\"runtime_mappings\":{},\"_source\":{\"excludes\":[]},\"query\":{\"bool\":"
                    + "{\"must\":[],\"filter\":[{\"range\":{\"@timestamp\":{\"format\":\"strict_date_optional_time\",\"gte\":"
                    + "\"2024-04-15T12:00:00.000Z\",\"lte\":\"2024-05-15T12:00:00.000Z\"}}}],\"should\":[],\"must_not\":[]}}}";
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final Instant now = Instant.parse("2024-05-15T12:00:00Z");
    private RequestClassifier classifier;
    private LimitResolver limits;
    private TimeSpanChecks checks;
    private byte[] lensBody;
    private byte[] msearchBody;
    private byte[][] distinctBodies;

    @Param({"requireReadable", "json"})
    public String read;

    private int next;

    static final int DISTINCT = 1024;
    private static final String[] USERS = {"alice", "bob", "carol", "dave"};

    @Setup
    public void setUp() throws IOException, ConfigException {
        Path file = Files.createTempFile("policy-bench", ".yml");
        Files.writeString(file, """
                elasticsearch: { hosts: ["http://127.0.0.1:9200"] }
                roles:
                  analyst: { indices: ["logs-*"], max_time_range: 31d, on_exceed: reject, require_time_filter: true,
                             requests_per_minute: 120, max_concurrent: 2, max_queue: 10 }
                  viewer: { indices: ["metrics-*"], max_time_range: 7d }
                index_time_fields: { "logs-*": "@timestamp" }
                """);
        SketchgateConfig config = new ConfigLoader(Map.of()).load(file);
        Files.delete(file);
        classifier = new RequestClassifier(Clock.fixed(now, ZoneOffset.UTC));
        limits = new LimitResolver(config.roles());
        checks = new TimeSpanChecks(new TimeFields(config.indexTimeFields()));
        lensBody = LENS_BODY.getBytes(StandardCharsets.UTF_8);
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            ndjson.append("{\"index\":\"logs-")
                    .append(i % 7)
                    .append("\"}\n")
                    .append(LENS_BODY)
                    .append('\n');
        }
        msearchBody = ndjson.toString().getBytes(StandardCharsets.UTF_8);
        distinctBodies = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            distinctBodies[i] = kibanaBody(i).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** One of three Kibana shapes, with a time range ending {@code i} minutes before now and {@code i} days long. */
    static String kibanaBody(int i) {
        Instant to = Instant.parse("2024-05-15T12:00:00Z").minusSeconds(60L * i + i % 7);
        Instant from = to.minusSeconds(86_400L * (1 + i % 30) + 13L * i);
        String range = "{\"range\":{\"@timestamp\":{\"format\":\"strict_date_optional_time\",\"gte\":\"" + from
                + "\",\"lte\":\"" + to + "\"}}}";
        return switch (i % 3) {
            case 0 ->
                "{\"sort\":[{\"@timestamp\":{\"order\":\"desc\",\"format\":\"strict_date_optional_time\","
                        + "\"unmapped_type\":\"boolean\"}},{\"_doc\":{\"order\":\"desc\",\"unmapped_type\":\"boolean\"}}],"
                        + "\"fields\":[{\"field\":\"*\",\"include_unmapped\":\"true\"},{\"field\":\"@timestamp\","
                        + "\"format\":\"strict_date_optional_time\"}],\"size\":" + (500 + i) + ",\"version\":true,"
                        + "\"script_fields\":{},\"stored_fields\":[\"*\"],\"runtime_mappings\":{},\"_source\":false,"
                        + "\"query\":{\"bool\":{\"must\":[],\"filter\":[" + range + "],\"should\":[],\"must_not\":[]}},"
                        + "\"highlight\":{\"pre_tags\":[\"@kibana-highlighted-field@\"],\"post_tags\":"
                        + "[\"@/kibana-highlighted-field@\"],\"fields\":{\"*\":{}},\"fragment_size\":2147483647}}";
            case 1 ->
                "{\"aggs\":{\"" + i + "\":{\"date_histogram\":{\"field\":\"@timestamp\",\"calendar_interval\":\"1d\","
                        + "\"time_zone\":\"Europe/Berlin\",\"extended_bounds\":{\"min\":" + from.toEpochMilli()
                        + ",\"max\":" + to.toEpochMilli()
                        + "}},\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user.id\"}}}}},"
                        + "\"size\":0,\"fields\":[{\"field\":\"@timestamp\",\"format\":\"date_time\"}],"
                        + "\"script_fields\":{},\"stored_fields\":[\"*\"],\"runtime_mappings\":{},"
                        + "\"_source\":{\"excludes\":[]},\"query\":{\"bool\":{\"must\":[],\"filter\":[" + range
                        + "],\"should\":[],\"must_not\":[]}}}";
            default ->
                "{\"aggs\":{\"0\":{\"cardinality\":{\"field\":\"user.id\"}}},\"size\":0,\"fields\":[{\"field\":"
                        + "\"@timestamp\",\"format\":\"date_time\"}],\"script_fields\":{},\"stored_fields\":[\"*\"],"
                        + "\"runtime_mappings\":{},\"_source\":{\"excludes\":[]},\"query\":{\"bool\":{\"must\":[],"
                        + "\"filter\":[{\"bool\":{\"should\":[{\"match\":{\"event.dataset\":\"nginx.access" + i
                        + "\"}}],\"minimum_should_match\":1}},{\"match_phrase\":{\"http.response.status_code\":\""
                        + (200 + i % 300) + "\"}}," + range + "],\"should\":[],\"must_not\":[]}}}";
        };
    }

    @Benchmark
    public Object lensRequest() throws IOException {
        return decide("alice", "POST", LENS_URI, lensBody, "application/vnd.elasticsearch+json; compatible-with=8");
    }

    @Benchmark
    public Object kibanaDistinct() throws IOException {
        int i = next++ & (DISTINCT - 1);
        return decide(
                USERS[i & 3],
                "POST",
                LENS_URI,
                distinctBodies[i],
                "application/vnd.elasticsearch+json; compatible-with=8");
    }

    @Benchmark
    public Object msearch200() throws IOException {
        return decide("alice", "POST", "/logs-*/_msearch", msearchBody, "application/x-ndjson");
    }

    private Object decide(String user, String method, String uri, byte[] body, String contentType) throws IOException {
        ClassifiedRequest request = classifier.classify(method, uri);
        List<String> indices = List.of("logs-*");
        ParsedRequest parsed = new ParsedRequest(request, Optional.of(body), contentType, now);
        if (read.equals("json")) {
            parsed.json(); // as before the fast path: the tree, whatever the time check then uses
        } else {
            parsed.requireReadable();
        }
        LimitResolver.Resolution resolution = limits.resolve(user, List.of("analyst"), LimitSettings.NONE, indices);
        EffectiveLimits effective = ((LimitResolver.Applied) resolution).limits();
        TimeSpanChecks.Result result = checks.check(parsed, indices, indices, effective, MultiSearchBody.Item::targets);
        if (!(result instanceof TimeSpanChecks.Passed)) {
            throw new IllegalStateException("the benchmark's requests are allowed: " + result);
        }
        return result;
    }
}
