package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.elasticsearch.client.RestClient;

/**
 * The tailer's page views: at each poll, the events of the open granules per granule and combination of dimension
 * values, counted by Elasticsearch ({@link SourceScanner} without values: one composite row per granule and
 * combination), and rolled up into every dimension subset as the batch job rolls up its rows. A count replaces the
 * last one instead of adding to it, so re-reading a window never counts an event twice, and events without the
 * unique field count, as they do in {@code pv}.
 */
final class TailPageViews {
    private static final int PAGE_SIZE = 10_000;

    private final SourceScanner scanner;
    private final int subsets;

    TailPageViews(RestClient client, UniqueCountDefinition definition) {
        this.scanner = new SourceScanner(
                client, definition, definition.dimensions(), Map.of(), false, PAGE_SIZE, new AtomicLong());
        this.subsets = DimensionSubsets.count(definition);
    }

    /** Per granule start (epoch millis), the events of {@code [from, to)} per combination of every subset. */
    Map<Long, Map<List<String>, Long>> count(Instant from, Instant to) throws IOException {
        Map<Long, Map<List<String>, Long>> counted = new HashMap<>();
        scanner.scan(from, to, (granuleStart, values, hasValue, hash, events) -> {
            Map<List<String>, Long> granule = counted.computeIfAbsent(granuleStart, k -> new HashMap<>());
            for (int mask = 0; mask < subsets; mask++) {
                granule.merge(DimensionSubsets.key(values, mask), events, Long::sum);
            }
        });
        return counted;
    }
}
