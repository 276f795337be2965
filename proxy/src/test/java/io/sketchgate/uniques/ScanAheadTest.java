package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestDefinitions;
import io.sketchgate.testing.TestElasticsearch;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealElasticsearch
class ScanAheadTest {
    private static final String INDEX = IndexNames.unique(ScanAheadTest.class);
    private static final Instant T0 = Instant.parse("2025-03-01T00:00:00Z");

    @BeforeAll
    static void events(TestElasticsearch es) throws Exception {
        es.requests().createIndex(INDEX, """
                {"mappings":{"properties":{"@timestamp":{"type":"date"},"user_id":{"type":"keyword"},
                  "country":{"type":"keyword"}}}}""");
        List<Map<String, Object>> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            docs.add(Map.of(
                    "@timestamp",
                    T0.plus(Duration.ofMinutes(7L * i)).toString(),
                    "user_id",
                    "u" + (i % 17),
                    "country",
                    i % 3 == 0 ? "KR" : "DE"));
        }
        es.requests().bulkIndex(INDEX, docs);
        es.requests().refresh(INDEX);
    }

    private static UniqueCountDefinition definition(String source) {
        return TestDefinitions.definition(
                "scanahead",
                source,
                "@timestamp",
                "user_id",
                List.of("country"),
                Duration.ofHours(1),
                List.of(ZoneId.of("UTC")),
                14,
                Duration.ofMinutes(15),
                1000);
    }

    private static List<Instant[]> ranges() {
        List<Instant[]> ranges = new ArrayList<>();
        for (int h = 0; h < 8; h += 2) {
            ranges.add(new Instant[] {T0.plus(Duration.ofHours(h)), T0.plus(Duration.ofHours(h + 2))});
        }
        return ranges;
    }

    private static List<String> rows(
            List<String> into, long start, String[] values, boolean hasValue, long hash, long events) {
        into.add(start + " " + Arrays.toString(values) + " " + hasValue + " " + hash + " " + events);
        return into;
    }

    @Test
    void readsEveryRangeInOrder_withTheSameRowsAsTheScannerItself(TestElasticsearch es) throws Exception {
        // pages of 5 rows handed over in chunks of 3: several pages and chunks per range
        SourceScanner scanner = new SourceScanner(
                es.client(), definition(INDEX), definition(INDEX).granularity(), 5);
        List<List<String>> direct = new ArrayList<>();
        for (Instant[] range : ranges()) {
            List<String> rows = new ArrayList<>();
            scanner.scan(range[0], range[1], (t, v, h, x, e) -> rows(rows, t, v, h, x, e));
            direct.add(rows);
        }

        List<List<String>> ahead = new ArrayList<>();
        try (ScanAhead scan = new ScanAhead(
                new SourceScanner(
                        es.client(), definition(INDEX), definition(INDEX).granularity(), 5),
                ranges(),
                3,
                "t")) {
            for (int r = 0; r < ranges().size(); r++) {
                List<String> rows = new ArrayList<>();
                scan.read((t, v, h, x, e) -> rows(rows, t, v, h, x, e));
                ahead.add(rows);
            }
        }

        assertThat(direct.stream().mapToInt(List::size).sum()).isGreaterThan(20);
        assertThat(direct.get(0).size()).isGreaterThan(5);
        assertThat(ahead).isEqualTo(direct);
    }

    @Test
    void aFailedScan_isThrownToTheReader(TestElasticsearch es) {
        SourceScanner scanner = new SourceScanner(
                es.client(),
                definition(INDEX + "-absent"),
                definition(INDEX + "-absent").granularity(),
                5);
        try (ScanAhead scan = new ScanAhead(scanner, ranges(), 3, "t")) {
            assertThatThrownBy(() -> scan.read((t, v, h, x, e) -> {}))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("index_not_found_exception");
        }
    }
}
