package io.sketchgate.rewrite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.transport.KibanaFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Searches shaped as Kibana sends them, over {@link TestEvents}' fields and time: Kibana's own recorded Lens
 * requests with the time range moved onto the data, and generated variations of interval (fixed 1h/3h/12h/1d,
 * calendar 1h/1d/1w/1M), zone (UTC, Asia/Seoul, America/New_York) and shape (daily UV, top terms ordered by UV,
 * KQL filter with PV, filters split, two-dimension split, top-level totals).
 */
final class RequestFamily {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String GTE = "2024-03-03T07:13:00.000Z";
    static final String LTE = "2024-04-02T19:45:00.000Z";
    static final long MIN = 1709449980000L; // GTE
    static final long MAX = 1712087100000L; // LTE

    record Variant(String name, ObjectNode body, Map<String, String> parameters) {
        @Override
        public String toString() {
            return name;
        }
    }

    private RequestFamily() {}

    static List<Variant> all() {
        List<Variant> all = new ArrayList<>(kibanaRecorded());
        all.addAll(generated());
        return all;
    }

    /** Kibana's recorded Lens requests over logs-*, with the time range moved onto the test data. */
    static List<Variant> kibanaRecorded() {
        List<Variant> variants = new ArrayList<>();
        for (KibanaFixtures.FixtureRequest request : KibanaFixtures.all()) {
            if (!request.name().startsWith("lens_")) {
                continue;
            }
            String text = request.body()
                    .toString()
                    .replace("2024-04-15T12:00:00.000Z", GTE)
                    .replace("2024-05-15T12:00:00.000Z", LTE)
                    .replace("1713182400000", Long.toString(MIN))
                    .replace("1715774400000", Long.toString(MAX))
                    .replace("Europe/Berlin", "America/New_York");
            variants.add(new Variant(request.name(), parse(text), Map.of("track_total_hits", "true")));
        }
        if (variants.size() < 2) {
            throw new IllegalStateException("expected Kibana's Lens requests in " + KibanaFixtures.directory());
        }
        return variants;
    }

    static List<Variant> generated() {
        List<Variant> variants = new ArrayList<>();
        String[] intervals = {
            "fixed_interval:1h",
            "fixed_interval:3h",
            "fixed_interval:12h",
            "fixed_interval:1d",
            "calendar_interval:1h",
            "calendar_interval:1d",
            "calendar_interval:1w",
            "calendar_interval:1M"
        };
        String[] zones = {"UTC", "Asia/Seoul", "America/New_York"};
        int i = 0;
        for (String interval : intervals) {
            for (String zone : zones) {
                String[] kv = interval.split(":");
                String histogram = "\"date_histogram\":{\"field\":\"@timestamp\",\"" + kv[0] + "\":\"" + kv[1]
                        + "\",\"time_zone\":\"" + zone + "\",\"extended_bounds\":{\"min\":" + MIN + ",\"max\":" + MAX
                        + "}}";
                String name = kv[1] + " " + zone;
                // daily-UV shape (Lens "unique count over time")
                variants.add(variant(
                        "uv over time " + name,
                        "{\"0\":{" + histogram + ",\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                        query(""),
                        Map.of()));
                // top-N countries ordered by UV, each over time (Lens breakdown)
                if (i % 2 == 0) {
                    variants.add(variant(
                            "top countries by uv " + name,
                            "{\"0\":{\"terms\":{\"field\":\""
                                    + TestEvents.COUNTRY + "\",\"order\":{\"2\":\"desc\"},\"size\":3},\"aggs\":{\"1\":{"
                                    + histogram + ",\"aggs\":{\"2\":{\"cardinality\":{\"field\":\"user.id\"}}}},"
                                    + "\"2\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                            query(""),
                            Map.of()));
                } else {
                    // KQL filter, PV and UV per bucket, min_doc_count 1, a format
                    String filtered = histogram.replace(
                            "\"extended_bounds\"",
                            "\"min_doc_count\":1,\"format\":\"yyyy-MM-dd HH:mm\",\"extended_bounds\"");
                    variants.add(variant(
                            "kql filter pv uv " + name,
                            "{\"0\":{" + filtered
                                    + ",\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user.id\",\"precision_threshold\":100}},"
                                    + "\"2\":{\"value_count\":{\"field\":\"@timestamp\"}}}}}",
                            query(",{\"bool\":{\"should\":[{\"match_phrase\":{\"" + TestEvents.COUNTRY
                                    + "\":\"KR\"}}],\"minimum_should_match\":1}}"),
                            Map.of()));
                }
                i++;
            }
        }
        variants.add(variant(
                "filters split by os",
                "{\"f\":{\"filters\":{\"filters\":{\"os : ios\":{\"bool\":{\"should\":"
                        + "[{\"match\":{\"" + TestEvents.OS
                        + "\":\"ios\"}}],\"minimum_should_match\":1}},\"everything\":"
                        + "{\"match_all\":{}}}},\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                query(""),
                Map.of()));
        variants.add(variant(
                "two dimensions with terms order by key",
                "{\"c\":{\"terms\":{\"field\":\""
                        + TestEvents.COUNTRY
                        + "\",\"order\":{\"_key\":\"asc\"},\"size\":10},\"aggs\":{\"o\":{\"terms\":"
                        + "{\"field\":\"" + TestEvents.OS
                        + "\",\"size\":2},\"aggs\":{\"u\":{\"cardinality\":{\"field\":"
                        + "\"user.id\"}}}}}}}",
                query(""),
                Map.of()));
        variants.add(variant(
                "total uv, terms filter, meta",
                "{\"u\":{\"cardinality\":{\"field\":\"user.id\"}," + "\"meta\":{\"label\":\"Unique users\"}}}",
                query(",{\"terms\":{\"" + TestEvents.COUNTRY + "\":[\"US\",\"DE\"]}}"),
                Map.of("rest_total_hits_as_int", "true")));
        variants.add(variant(
                "filter agg under histogram, hard bounds",
                "{\"h\":{\"date_histogram\":{\"field\":"
                        + "\"@timestamp\",\"calendar_interval\":\"1d\",\"min_doc_count\":0,\"hard_bounds\":{\"min\":"
                        + (MIN + 86_400_000L * 3) + ",\"max\":" + (MIN + 86_400_000L * 10)
                        + "}},\"aggs\":{\"kr\":{\"filter\":"
                        + "{\"term\":{\"" + TestEvents.COUNTRY
                        + "\":\"KR\"}},\"aggs\":{\"u\":{\"cardinality\":{\"field\":"
                        + "\"user.id\"}}}}}}}",
                query(""),
                Map.of("track_total_hits", "100")));
        variants.add(variant(
                "offset and untracked total",
                "{\"h\":{\"date_histogram\":{\"field\":\"@timestamp\","
                        + "\"fixed_interval\":\"1d\",\"offset\":\"+6h\"},\"aggs\":{\"u\":{\"cardinality\":{\"field\":"
                        + "\"user.id\"}}}}}",
                query(""),
                Map.of("track_total_hits", "false")));
        variants.add(variant(
                "two top-level metrics and a histogram",
                "{\"2\":{\"cardinality\":{\"field\":\"user.id\"}},"
                        + "\"1\":{\"value_count\":{\"field\":\"@timestamp\"}},\"0\":{\"date_histogram\":{\"field\":"
                        + "\"@timestamp\",\"calendar_interval\":\"1w\",\"time_zone\":\"Asia/Seoul\"},\"aggs\":{\"3\":"
                        + "{\"value_count\":{\"field\":\"@timestamp\"}},\"1\":{\"cardinality\":{\"field\":\"user.id\"}},"
                        + "\"2\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                query(""),
                Map.of()));
        variants.add(variant(
                "terms by count with small size",
                "{\"t\":{\"terms\":{\"field\":\"" + TestEvents.OS
                        + "\",\"size\":1},\"aggs\":{\"u\":{\"cardinality\":{\"field\":\"user.id\"}}}}}",
                query(""),
                Map.of()));
        return variants;
    }

    /** Kibana's query: bool with the time range in filter, optional extra filter clauses. */
    static String query(String extraFilters) {
        return "{\"bool\":{\"must\":[],\"filter\":[{\"range\":{\"@timestamp\":{\"format\":\"strict_date_optional_time\","
                + "\"gte\":\"" + GTE + "\",\"lte\":\"" + LTE + "\"}}}" + extraFilters
                + "],\"should\":[],\"must_not\":[]}}";
    }

    private static Variant variant(String name, String aggs, String query, Map<String, String> parameters) {
        return new Variant(
                name,
                parse("{\"aggs\":" + aggs + ",\"size\":0,\"fields\":[{\"field\":\"@timestamp\","
                        + "\"format\":\"date_time\"}],\"script_fields\":{},\"stored_fields\":[\"*\"],\"runtime_mappings\":{},"
                        + "\"_source\":{\"excludes\":[]},\"query\":" + query + "}"),
                parameters);
    }

    static ObjectNode parse(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode copy(JsonNode node) {
        return node.deepCopy();
    }
}
