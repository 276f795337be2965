package io.sketchgate.rewrite;

import io.sketchgate.uniques.BucketKey;
import io.sketchgate.uniques.UniqueCountException;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvCount;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvQuestion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact answers to {@link UvQuestion}s computed from the events the test indexed: a stand-in for the sketch
 * engine (not for Elasticsearch), so that a difference from Elasticsearch's response can only be the rewrite's.
 * Questions of a definition named {@code broken...} fail, as the engine fails for what it cannot answer.
 */
final class ExactUvQueries implements UvQueries {
    private final List<TestEvents.Event> events;
    final AtomicInteger questions = new AtomicInteger();
    /** Overall counts made: the answers make theirs only when asked, as the engine's do. */
    final AtomicInteger overalls = new AtomicInteger();

    ExactUvQueries(List<TestEvents.Event> events) {
        this.events = List.copyOf(events);
    }

    @Override
    public CompletableFuture<UvAnswer> answer(UvQuestion question) {
        questions.incrementAndGet();
        if (question.definition().name().startsWith("broken")) {
            return CompletableFuture.failedFuture(new UniqueCountException(
                    List.of("unique_counts." + question.definition().name() + ": nothing precomputed yet")));
        }
        List<TestEvents.Event> selected = events.stream()
                .filter(e -> !e.time().isBefore(question.from()) && e.time().isBefore(question.to()))
                .filter(e -> passes(e, question.filters()))
                .toList();
        List<UvAnswer.Row> rows = new ArrayList<>();
        for (UvQuestion.TimeSlice slice : question.slices()) {
            List<TestEvents.Event> inSlice = selected.stream()
                    .filter(e -> !e.time().isBefore(slice.start()) && e.time().isBefore(slice.end()))
                    .toList();
            group(inSlice, question.split())
                    .forEach((split, group) -> rows.add(new UvAnswer.Row(Optional.of(slice), split, count(group))));
        }
        List<UvAnswer.Row> totals = new ArrayList<>();
        group(selected, question.split())
                .forEach((split, group) -> totals.add(new UvAnswer.Row(Optional.empty(), split, count(group))));
        if (totals.isEmpty() && question.split().isEmpty()) {
            totals.add(new UvAnswer.Row(Optional.empty(), Map.of(), count(List.of())));
        }
        return CompletableFuture.completedFuture(new UvAnswer(
                rows,
                totals,
                () -> {
                    overalls.incrementAndGet();
                    return count(selected);
                },
                selected.size(),
                Optional.empty(),
                new UvAnswer.Stats(0, 0, 0, selected.size(), 0, 0)));
    }

    private static boolean passes(TestEvents.Event event, Map<String, Set<String>> filters) {
        for (Map.Entry<String, Set<String>> filter : filters.entrySet()) {
            String value = event.dimension(filter.getKey());
            if (!filter.getValue().contains(value == null ? BucketKey.MISSING : value)) {
                return false;
            }
        }
        return true;
    }

    private static Map<Map<String, String>, List<TestEvents.Event>> group(
            List<TestEvents.Event> events, List<String> split) {
        Map<Map<String, String>, List<TestEvents.Event>> groups = new LinkedHashMap<>();
        for (TestEvents.Event event : events) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String dimension : split) {
                String value = event.dimension(dimension);
                key.put(dimension, value == null ? BucketKey.MISSING : value);
            }
            groups.computeIfAbsent(Map.copyOf(key), k -> new ArrayList<>()).add(event);
        }
        return groups;
    }

    private static UvCount count(List<TestEvents.Event> events) {
        Set<String> users = new HashSet<>();
        events.forEach(e -> users.add(e.user()));
        return UvCount.exact(users.size(), events.size(), UvCount.DataSource.BATCH);
    }
}
