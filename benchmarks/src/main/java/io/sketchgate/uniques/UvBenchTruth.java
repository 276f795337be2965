package io.sketchgate.uniques;

import io.sketchgate.demo.PageView;
import io.sketchgate.demo.SampleWebLogs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact distinct users of each bucket of some questions, replayed from the deterministic generator
 * ({@link SampleWebLogs}), never read back from Elasticsearch or from Sketchgate's own index.
 *
 * <p>Generated user ids are {@code u} plus the user's number below {@link SampleWebLogs#users()}, so a bucket's
 * users are a {@link BitSet} over the population (25 KB for 200,000 users): one pass over the events, exact,
 * and small enough for 10M events.
 */
final class UvBenchTruth {

    private UvBenchTruth() {}

    /** Per question (same order), the true distinct users of each of its buckets, keyed by bucket key. */
    static List<Map<Instant, Long>> of(SampleWebLogs logs, List<DailyUvQuestion> questions) {
        List<List<DailyUvQuestion.Bucket>> buckets = new ArrayList<>();
        List<BitSet[]> users = new ArrayList<>();
        for (DailyUvQuestion question : questions) {
            List<DailyUvQuestion.Bucket> list = question.buckets();
            buckets.add(list);
            BitSet[] sets = new BitSet[list.size()];
            for (int i = 0; i < sets.length; i++) {
                sets[i] = new BitSet(logs.users());
            }
            users.add(sets);
        }
        for (Iterator<PageView> events = logs.iterator(); events.hasNext(); ) {
            PageView view = events.next();
            long millis = view.timestamp().toEpochMilli();
            int user = Integer.parseInt(view.userId(), 1, view.userId().length(), 10);
            for (int q = 0; q < questions.size(); q++) {
                int index = bucketOf(buckets.get(q), millis);
                if (index >= 0) {
                    users.get(q)[index].set(user);
                }
            }
        }
        List<Map<Instant, Long>> truth = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            Map<Instant, Long> counts = new LinkedHashMap<>();
            List<DailyUvQuestion.Bucket> list = buckets.get(q);
            for (int i = 0; i < list.size(); i++) {
                counts.put(list.get(i).key(), (long) users.get(q)[i].cardinality());
            }
            truth.add(counts);
        }
        return truth;
    }

    /** Binary search over buckets sorted and contiguous in time; -1 outside them. */
    private static int bucketOf(List<DailyUvQuestion.Bucket> buckets, long millis) {
        int low = 0;
        int high = buckets.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            DailyUvQuestion.Bucket bucket = buckets.get(mid);
            if (millis < bucket.from().toEpochMilli()) {
                high = mid - 1;
            } else if (millis >= bucket.to().toEpochMilli()) {
                low = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
