package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.demo.PageView;
import io.sketchgate.demo.SampleWebLogs;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * True UV (distinct user_id) and PV per stored bucket of a definition over {@code user_id} with dimensions
 * country and device, computed by replaying the generator: the reference the precomputed documents must equal.
 */
final class WebLogTruth {
    record Key(String level, String zone, Instant start, List<String> dimensions) {}

    static final class Counts {
        final Set<String> users = new HashSet<>();
        long pageViews;
    }

    private WebLogTruth() {}

    static Map<Key, Counts> of(SampleWebLogs logs, Duration granularity, List<ZoneId> zones) {
        Map<Key, Counts> truth = new HashMap<>();
        for (Iterator<PageView> it = logs.iterator(); it.hasNext(); ) {
            PageView view = it.next();
            List<String> values = List.of(view.country(), view.device());
            List<Key> buckets = new ArrayList<>();
            buckets.add(new Key("1h", "UTC", Level.granuleStart(view.timestamp(), granularity), values));
            for (ZoneId zone : zones) {
                for (Level level : Level.CALENDAR) {
                    buckets.add(new Key(level.label("1h"), zone.getId(), level.start(view.timestamp(), zone), values));
                }
            }
            for (Key bucket : buckets) {
                for (int mask = 0; mask < 4; mask++) {
                    List<String> dims = List.of(
                            (mask & 1) != 0 ? values.get(0) : BucketKey.ALL,
                            (mask & 2) != 0 ? values.get(1) : BucketKey.ALL);
                    Counts counts = truth.computeIfAbsent(
                            new Key(bucket.level(), bucket.zone(), bucket.start(), dims), k -> new Counts());
                    counts.users.add(view.userId());
                    counts.pageViews++;
                }
            }
            // the fine tier: the root subset only
            Counts fine = truth.computeIfAbsent(
                    new Key(
                            Level.FINE.label("1h"),
                            "UTC",
                            Level.granuleStart(view.timestamp(), UniqueCountDefinition.FINE_TIER),
                            List.of(BucketKey.ALL, BucketKey.ALL)),
                    k -> new Counts());
            fine.users.add(view.userId());
            fine.pageViews++;
        }
        return truth;
    }
}
