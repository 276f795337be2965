package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.IndexTimeFieldsConfig;
import io.sketchgate.config.OnExceed;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.MultiSearchBody;
import io.sketchgate.esapi.ParsedRequest;
import io.sketchgate.esapi.RequestClassifier;
import io.sketchgate.esapi.SearchOutline;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path ({@link SearchOutline}, {@link OutlineSpanWalker}) against the strict tree
 * ({@link TimeSpanExtractor}, {@link QuerySpanWalker}) on the same generated and mutated bodies: every verdict of
 * {@link TimeSpanChecks#check} (passed with its summary, headers and body; refused with status, type and reason;
 * or the exception) must be equal, under limits that reject, clamp and require a filter, over one and two time
 * fields. The tree is the reference; the fast path may only be faster.
 *
 * <p>Bodies: Kibana-shaped searches from a small grammar (nested bools with must, filter, should with
 * minimum_should_match, must_not; several ranges; date math, formats, time zones, epoch numbers as numbers and
 * strings; every query type the walker knows and some it does not; aggregations, runtime_mappings, knn, pit), with
 * duplicate keys, keys spelled with unicode escapes, wrong types and null, then byte and token mutations
 * (truncation, deletion, insertion, swapped keywords, non-ASCII). Fixed seed, printed; {@code -Dfuzz.iterations=}
 * and {@code -Dfuzz.seed=} for longer or other runs.
 */
class FastPathDifferentialFuzzTest {
    private static final long DEFAULT_SEED = 20261205L;
    private static final int DEFAULT_ITERATIONS = 100_000;
    private static final Instant NOW = Instant.parse("2024-05-15T12:00:00Z");
    private static final String[] TIME_FIELDS = {"@timestamp", "@timestamp", "@timestamp", "event.created", "bytes"};
    private static final String[] DATES = {
        "2024-05-15T11:45:00.000Z",
        "2024-04-15T12:00:00.000Z",
        "2024-05-15T12:00:00.000Z",
        "2024-02-01",
        "2023-05-15T12:00:00Z",
        "now",
        "now-15m",
        "now-31d/d",
        "now-30d",
        "now/d",
        "now-1M/M",
        "2024-05-15||-1M",
        "2024-05-15||/w",
        "1713182400000",
        "1715774400000",
        "2024-05-15T12:00:00.000+09:00",
        "now+1d",
        "now-7d"
    };
    private static final String[] BAD_DATES = {"2024-13-01", "", "yesterday", "now-1x", "2024-05-15T25:00:00Z"};
    private static final String[] FORMATS = {
        "strict_date_optional_time",
        "strict_date_optional_time",
        "epoch_millis",
        "yyyy-MM-dd",
        "strict_date_optional_time||epoch_millis",
        "date_time"
    };
    private static final String[] BAD_FORMATS = {"epoch_second", "no_such_format", "yyyy-MM-dd'T'HH"};
    private static final String[] ZONES = {
        "UTC", "Europe/Berlin", "+09:00", "EST", "UTC", "Europe/Berlin", "Mars/Olympus"
    };
    private static final String[] MSM = {"1", "2", "-1", "50%", "3<90%", "0", "abc", "100%", "-25%"};
    private static final String[] LEAVES = {
        "{\"match_all\":{}}",
        "{\"match_phrase\":{\"http.response.status_code\":\"200\"}}",
        "{\"match\":{\"event.dataset\":\"nginx.access\"}}",
        "{\"term\":{\"user.id\":\"u1\"}}",
        "{\"exists\":{\"field\":\"@timestamp\"}}",
        "{\"query_string\":{\"query\":\"@timestamp:[* TO *]\"}}",
        "{\"multi_match\":{\"query\":\"x\",\"fields\":[\"a\",\"b\"]}}",
        "{\"match_none\":{}}",
        "{}"
    };
    private static final String[] ODD_LEAVES = {
        "{\"nested\":{\"path\":\"p\",\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"now-1d\"}}}}}",
        "{\"has_child\":{\"type\":\"c\",\"query\":{\"match_all\":{}},\"inner_hits\":{}}}",
        "{\"has_parent\":{\"parent_type\":\"p\",\"query\":{\"match_all\":{}}}}",
        "{\"match_all\":{},\"term\":{\"a\":1}}",
        "[]",
        "\"match_all\"",
        "null",
        "7"
    };
    private static final String INSERTS = "{}[]:,\"\\ 0-9ae\u00e9";
    private static final String[][] TOKEN_SWAPS = {
        {"\"filter\"", "\"must_not\""},
        {"\"must_not\"", "\"filter\""},
        {"\"should\"", "\"must\""},
        {"\"must\"", "\"should\""},
        {"\"gte\"", "\"lte\""},
        {"\"lte\"", "\"gt\""},
        {"\"range\"", "\"\\u0072ange\""},
        {"\"bool\"", "\"b\\u006fol\""},
        {"\"query\"", "\"qu\\u0065ry\""},
        {"\"@timestamp\"", "\"@times\\u0074amp\""},
        {"\"minimum_should_match\":", "\"minimum_should_match\":\"1\",\"minimum_should_match\":"},
        {"\"range\":{", "\"range\":{\"bytes\":{\"gte\":1},"},
        {"\"aggs\":{", "\"aggs\":{\"g\":{\"global\":{}},"},
        {"{\"bool\":{", "{\"bool\":{\"must_not\":[{\"match_all\":{}}],"},
        {"\"gte\":", "\"gte\":null,\"gte\":"},
        {"\"strict_date_optional_time\"", "\"epoch_millis\""},
        {"\"query\":{", "\"query\":{\"constant_score\":{\"filter\":{}}},\"x\":{"},
        {":\"now", ":\"now-400d"},
        {"}", "}}"},
        {"[", "[{},"}
    };

    private final TimeSpanChecks checks = new TimeSpanChecks(new TimeFields(new IndexTimeFieldsConfig(
            Map.of(IndexPattern.of("logs-*"), "@timestamp", IndexPattern.of("events-*"), "event.created"))));
    private final RequestClassifier classifier = new RequestClassifier(Clock.fixed(NOW, ZoneOffset.UTC));
    private final TimeSpanExtractor extractor = new TimeSpanExtractor();
    private final Map<Setting, ClassifiedRequest> classifiedBySetting = new java.util.HashMap<>();

    private record Setting(String uri, List<String> indices, EffectiveLimits limits) {}

    private static final List<Setting> SETTINGS = List.of(
            new Setting("/logs-*/_search", List.of("logs-*"), limits(Duration.ofDays(31), OnExceed.REJECT, true)),
            new Setting(
                    "/logs-*/_async_search?wait_for_completion_timeout=200ms",
                    List.of("logs-*"),
                    limits(Duration.ofDays(7), OnExceed.CLAMP, false)),
            new Setting("/logs-*,events-*/_count", List.of("logs-*", "events-*"), limits(null, null, true)),
            new Setting(
                    "/events-*/_search?q=x", List.of("events-*"), limits(Duration.ofDays(1), OnExceed.REJECT, false)));

    @Test
    void fastPathAndTree_giveEqualVerdicts_onEveryGeneratedAndMutatedBody() {
        long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
        int iterations = Integer.getInteger("fuzz.iterations", DEFAULT_ITERATIONS);
        System.out.println("FastPathDifferentialFuzzTest: seed " + seed + ", iterations " + iterations);
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Integer> outcomes = new TreeMap<>();
        int recognised = 0;
        int decidedFast = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < iterations && mismatches.size() < 5; i++) {
            String text = new Generator(random).body();
            if (random.nextInt(100) < 30) {
                text = mutate(text, random);
            }
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            Setting setting = SETTINGS.get(i % SETTINGS.size()); // each limit shape on a quarter of the bodies
            ParsedRequest fast = request(setting, body);
            ParsedRequest tree = request(setting, body);
            readTree(tree);
            String fastVerdict = verdict(fast, setting);
            String treeVerdict = verdict(tree, setting);
            if (!fastVerdict.equals(treeVerdict)) {
                mismatches.add("iteration " + i + ", " + setting.uri() + "\n  body: " + text + "\n  fast: "
                        + fastVerdict + "\n  tree: " + treeVerdict);
            }
            outcomes.merge(treeVerdict.split("[ :,]", 2)[0], 1, Integer::sum);
            Optional<SearchOutline> outline = request(setting, body).outline();
            if (outline.isPresent()) {
                recognised++;
                decidedFast += spansAgree(outline.get(), tree, text, mismatches, i) ? 1 : 0;
            }
        }
        System.out.println("FastPathDifferentialFuzzTest: " + recognised + " bodies recognised by the fast path, "
                + decidedFast + " decided by it without the tree; verdicts " + outcomes);
        assertThat(mismatches).isEmpty();
        // the comparison means something only when both paths really run
        assertThat(decidedFast).isGreaterThan(iterations / 5);
        assertThat(recognised).isLessThan(iterations);
    }

    /** Spans per time field, walker against walker: equal whenever the fast path decides at all. */
    private boolean spansAgree(SearchOutline outline, ParsedRequest tree, String body, List<String> mismatches, int i) {
        boolean decided = true;
        for (String field : List.of("@timestamp", "event.created")) {
            RequiredSpan fast;
            try {
                fast = extractor.requiredSpanOfOutline(outline, field, NOW);
            } catch (RangeReader.NotFast | RuntimeException leftToTheTree) {
                decided = false;
                continue;
            }
            String expected;
            try {
                expected = extractor
                        .requiredSpanOfSearch(tree.json().orElseThrow(), field, NOW)
                        .toString();
            } catch (RuntimeException e) {
                expected = "threw " + e;
            }
            if (!fast.toString().equals(expected)) {
                mismatches.add("iteration " + i + ", span of " + field + "\n  body: " + body + "\n  fast: " + fast
                        + "\n  tree: " + expected);
            }
        }
        return decided;
    }

    private ParsedRequest request(Setting setting, byte[] body) {
        ClassifiedRequest classified =
                classifiedBySetting.computeIfAbsent(setting, s -> classifier.classify("POST", s.uri()));
        return new ParsedRequest(classified, Optional.of(body), "application/json", NOW);
    }

    /** Builds the tree first: the outline is then never used, and the check takes the path it always took. */
    private static void readTree(ParsedRequest request) {
        try {
            request.json();
        } catch (RuntimeException refusedLater) {
            // the check meets the same failure
        }
    }

    private String verdict(ParsedRequest request, Setting setting) {
        try {
            TimeSpanChecks.Result result = checks.check(
                    request, setting.indices(), setting.indices(), setting.limits(), MultiSearchBody.Item::targets);
            if (result instanceof TimeSpanChecks.Passed passed) {
                return "passed" + passed.summary() + " " + passed.responseHeaders() + " "
                        + passed.body()
                                .map(b -> new String(b, StandardCharsets.UTF_8))
                                .orElse("(unchanged)");
            }
            if (result instanceof TimeSpanChecks.Refused refused) {
                return "refused " + refused.error().status().code() + " "
                        + refused.error().type() + ": " + refused.error().reason();
            }
            return "answered " + result;
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static EffectiveLimits limits(Duration max, OnExceed onExceed, boolean requireFilter) {
        LimitSource role = LimitSource.role("analyst");
        return new EffectiveLimits(
                List.of("analyst"),
                Optional.ofNullable(max).map(d -> new Limit<>(d, "max_time_range", role)),
                Optional.ofNullable(onExceed).map(o -> new Limit<>(o, "on_exceed", role)),
                requireFilter ? Optional.of(new Limit<>(true, "require_time_filter", role)) : Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
    }

    private static String mutate(String text, SplittableRandom random) {
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && !text.isEmpty(); r++) {
            int at = random.nextInt(text.length());
            text = switch (random.nextInt(8)) {
                case 0 -> text.substring(0, at); // truncated
                case 1 -> text.substring(0, at) + text.substring(at + 1); // a byte deleted
                case 2 -> text.substring(0, at) + INSERTS.charAt(random.nextInt(INSERTS.length())) + text.substring(at);
                case 3 -> {
                    String[] swap = TOKEN_SWAPS[random.nextInt(TOKEN_SWAPS.length)];
                    int found = text.indexOf(swap[0], at);
                    found = found < 0 ? text.indexOf(swap[0]) : found;
                    yield found < 0
                            ? text
                            : text.substring(0, found) + swap[1] + text.substring(found + swap[0].length());
                }
                case 4 -> {
                    int other = random.nextInt(text.length());
                    char[] chars = text.toCharArray();
                    char c = chars[at];
                    chars[at] = chars[other];
                    chars[other] = c;
                    yield new String(chars);
                }
                case 5 -> text.replaceFirst("\\d", String.valueOf(random.nextInt(10)));
                case 6 -> text + (random.nextBoolean() ? " {}" : "\n");
                default -> {
                    String[] swap = TOKEN_SWAPS[random.nextInt(TOKEN_SWAPS.length)];
                    yield text.replace(swap[0], swap[1]);
                }
            };
        }
        return text;
    }

    /** Kibana-like search bodies, with the odd wrong type, duplicate key and escaped key name. */
    private static final class Generator {
        private final SplittableRandom random;

        Generator(SplittableRandom random) {
            this.random = random;
        }

        String body() {
            Map<String, String> entries = new LinkedHashMap<>();
            if (chance(92)) {
                entries.put("query", chance(97) ? query(0) : leaf());
            }
            if (chance(40)) {
                entries.put("size", chance(90) ? String.valueOf(random.nextInt(600)) : "\"10\"");
            }
            if (chance(30)) {
                entries.put(
                        "sort",
                        "[{\"@timestamp\":{\"order\":\"desc\",\"format\":\"strict_date_optional_time\","
                                + "\"unmapped_type\":\"boolean\"}},{\"_doc\":{\"order\":\"desc\"}}]");
            }
            if (chance(45)) {
                entries.put(chance(80) ? "aggs" : "aggregations", aggs());
            }
            if (chance(40)) {
                entries.put("runtime_mappings", runtimeMappings());
            }
            if (chance(30)) {
                entries.put("fields", "[{\"field\":\"@timestamp\",\"format\":\"date_time\"}]");
            }
            if (chance(20)) {
                entries.put("_source", chance(50) ? "false" : "{\"excludes\":[]}");
            }
            if (chance(15)) {
                entries.put("highlight", "{\"fields\":{\"*\":{}},\"fragment_size\":2147483647}");
            }
            if (chance(8)) {
                String section = pick(new String[] {"knn", "retriever", "sub_searches", "rank", "suggest"});
                entries.put(section, chance(30) ? "null" : "{\"field\":\"v\",\"k\":10}");
            }
            if (chance(6)) {
                entries.put("pit", "{\"id\":\"abc\",\"keep_alive\":\"1m\"}");
            }
            if (chance(5)) {
                entries.put("post_filter", query(2));
            }
            if (chance(4)) {
                entries.put("track_total_hits", "true");
            }
            return object(entries);
        }

        private String query(int depth) {
            int choice = random.nextInt(depth > 4 ? 40 : 100);
            if (choice < 15) {
                return leaf();
            }
            if (choice < 40) {
                return "{" + key("range") + ":" + range() + "}";
            }
            if (choice < 45) {
                String type = pick(new String[] {"constant_score", "function_score", "boosting", "dis_max"});
                String inner = switch (type) {
                    case "constant_score" -> "{\"filter\":" + query(depth + 1) + "}";
                    case "function_score" -> "{\"query\":" + query(depth + 1) + "}";
                    case "boosting" ->
                        "{\"positive\":" + query(depth + 1) + ",\"negative\":" + query(depth + 1)
                                + ",\"negative_boost\":0.5}";
                    default -> "{\"queries\":[" + query(depth + 1) + "," + query(depth + 1) + "]}";
                };
                return "{\"" + type + "\":" + inner + "}";
            }
            return "{" + key("bool") + ":" + bool(depth) + "}";
        }

        private String leaf() {
            return chance(90) ? pick(LEAVES) : pick(ODD_LEAVES);
        }

        private String bool(int depth) {
            if (chance(2)) {
                return pick(new String[] {"[]", "null", "\"x\""});
            }
            Map<String, String> entries = new LinkedHashMap<>();
            for (String occur : new String[] {"must", "filter", "should", "must_not"}) {
                if (chance(60)) {
                    entries.put(occur, clauses(depth));
                }
            }
            if (chance(25)) {
                entries.put(
                        "minimum_should_match",
                        switch (random.nextInt(6)) {
                            case 0 -> String.valueOf(random.nextInt(4) - 1);
                            case 1 -> "null";
                            case 2 -> "1.5";
                            case 3 -> "true";
                            default -> "\"" + pick(MSM) + "\"";
                        });
            }
            if (chance(5)) {
                entries.put("boost", "1.0");
            }
            if (chance(3)) {
                entries.put("_name", "\"q\"");
            }
            return object(entries);
        }

        private String clauses(int depth) {
            int kind = random.nextInt(100);
            if (kind < 3) {
                return pick(new String[] {"null", "\"x\"", "[null]", "[1]"});
            }
            if (kind < 15) {
                return query(depth + 1);
            }
            int count = random.nextInt(4);
            List<String> items = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                items.add(query(depth + 1));
            }
            return "[" + String.join(",", items) + "]";
        }

        private String range() {
            if (chance(3)) {
                return pick(new String[] {"{}", "[]", "{\"@timestamp\":\"now\"}", "{\"a\":{},\"b\":{}}"});
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (chance(70)) {
                params.put(
                        "format",
                        chance(95)
                                ? "\"" + pick(chance(95) ? FORMATS : BAD_FORMATS) + "\""
                                : pick(new String[] {"null", "1"}));
            }
            boolean epoch = chance(15);
            if (chance(85)) {
                params.put(chance(75) ? "gte" : pick(new String[] {"gt", "from"}), bound(epoch));
            }
            if (chance(80)) {
                params.put(chance(75) ? "lte" : pick(new String[] {"lt", "to"}), bound(epoch));
            }
            if (chance(8)) {
                params.put("time_zone", chance(90) ? "\"" + pick(ZONES) + "\"" : "3");
            }
            if (chance(5)) {
                params.put(
                        pick(new String[] {"include_lower", "include_upper"}),
                        pick(new String[] {"true", "false", "\"true\"", "\"no\"", "1"}));
            }
            if (chance(4)) {
                params.put("relation", pick(new String[] {"\"within\"", "\"INTERSECTS\"", "\"disjoint\"", "2"}));
            }
            if (chance(4)) {
                params.put(pick(new String[] {"boost", "_name"}), pick(new String[] {"2.0", "\"n\"", "{}"}));
            }
            if (chance(2)) {
                params.put("unknown", "1");
            }
            return "{" + key(pick(TIME_FIELDS)) + ":" + object(params) + "}";
        }

        private String bound(boolean epoch) {
            int kind = random.nextInt(100);
            if (epoch || kind < 8) {
                long millis = NOW.toEpochMilli() - random.nextLong(90L * 86_400_000L);
                return chance(70) ? String.valueOf(millis) : "\"" + millis + "\"";
            }
            if (kind < 11) {
                return pick(new String[] {"null", "1.7131824E12", "true", "{}", "[1]", "-0"});
            }
            return "\"" + pick(chance(97) ? DATES : BAD_DATES) + "\"";
        }

        private String aggs() {
            String type = chance(92)
                    ? pick(new String[] {"date_histogram", "terms", "cardinality", "max"})
                    : pick(new String[] {"global", "significant_terms", "children"});
            String sub = chance(30) ? ",\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user.id\"}}}" : "";
            return "{\"" + random.nextInt(10) + "\":{\"" + type + "\":{\"field\":\"@timestamp\"}" + sub + "}}";
        }

        private String runtimeMappings() {
            return switch (random.nextInt(6)) {
                case 0 -> "{\"@timestamp\":{\"type\":\"date\",\"script\":\"emit(0)\"}}";
                case 1 -> "{\"hour\":{\"type\":\"long\"}}";
                case 2 -> "[]";
                case 3 -> "null";
                default -> "{}";
            };
        }

        /** Entries in order; now and then one twice, which both paths must refuse. */
        private String object(Map<String, String> entries) {
            List<String> parts = new ArrayList<>();
            entries.forEach((k, v) -> parts.add(key(k) + ":" + v));
            if (!parts.isEmpty() && chance(2)) {
                parts.add(parts.get(random.nextInt(parts.size())));
            }
            return "{" + String.join(",", parts) + "}";
        }

        /** A key, sometimes with one letter written as a unicode escape (the same key to a JSON reader). */
        private String key(String name) {
            if (chance(3) && !name.isEmpty()) {
                int at = random.nextInt(name.length());
                return "\"" + name.substring(0, at) + String.format("\\u%04x", (int) name.charAt(at))
                        + name.substring(at + 1) + "\"";
            }
            return "\"" + name + "\"";
        }

        private boolean chance(int percent) {
            return random.nextInt(100) < percent;
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }
    }
}
