package io.sketchgate.rewrite;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A few hundred page views between 2024-03-01 and 2024-04-10 — across New York's (Mar 10) and Berlin's (Mar 31)
 * DST changes — with Kibana's field names, some without a country. The same list is indexed in Elasticsearch and
 * answered exactly by {@link ExactUvQueries}.
 */
final class TestEvents {
    static final String COUNTRY = "geo.country_iso_code";
    static final String OS = "host.os.type";
    static final String MAPPING = """
            {"settings":{"number_of_shards":1,"number_of_replicas":0},
             "mappings":{"properties":{"@timestamp":{"type":"date"},"user":{"properties":{"id":{"type":"keyword"}}},
               "geo":{"properties":{"country_iso_code":{"type":"keyword"}}},
               "host":{"properties":{"os":{"properties":{"type":{"type":"keyword"}}}}}}}}""";
    static final Instant START = Instant.parse("2024-03-01T00:00:00Z");
    static final Instant END = Instant.parse("2024-04-10T00:00:00Z");

    record Event(Instant time, String user, String country, String os) {
        Map<String, Object> document() {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("@timestamp", time.toString());
            doc.put("user.id", user);
            if (country != null) {
                doc.put(COUNTRY, country);
            }
            doc.put(OS, os);
            return doc;
        }

        String dimension(String field) {
            return field.equals(COUNTRY) ? country : os;
        }
    }

    private TestEvents() {}

    /** Creates {@code index} with {@link #MAPPING} and indexes {@code events} into it. */
    static void index(TestElasticsearch es, String index, List<Event> events) throws Exception {
        es.requests().createIndex(index, MAPPING);
        es.requests().bulkIndex(index, events.stream().map(Event::document).toList());
    }

    static List<Event> generate(int count, long seed) {
        Random random = new Random(seed);
        String[] countries = {"KR", "KR", "KR", "US", "US", "DE", "FR", "JP", null};
        String[] systems = {"android", "ios", "windows"};
        long span = END.toEpochMilli() - START.toEpochMilli();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant time = START.plusMillis((long) (random.nextDouble() * span));
            String user = "u" + (int) Math.floor(Math.pow(random.nextDouble(), 2) * 80); // skewed: some users often
            events.add(new Event(
                    time, user, countries[random.nextInt(countries.length)], systems[random.nextInt(systems.length)]));
        }
        return events;
    }

    static UniqueCountDefinition definition(String source) {
        return TestDefinitions.definition(
                "kib",
                source,
                "@timestamp",
                "user.id",
                List.of(COUNTRY, OS),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC"), ZoneId.of("Asia/Seoul"), ZoneId.of("America/New_York")),
                14,
                Duration.ofMinutes(15),
                1_000_000);
    }
}
