package io.sketchgate.uniques;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stop-the-world pauses a benchmarked proxy's JVM logged ({@code -Xlog:gc:file=...:utctime}), so that a slow
 * answer can be told apart from a collector pause it waited behind: at 30M events the slowest answers were young
 * collections over a large old generation (docs/scaling.md, "JVM and GC"), read by hand beside the GC log until now.
 */
public final class GcPauses {
    /** One logged pause; {@code end} is when the JVM logged it, at the end of the pause. */
    public record Pause(String kind, Instant end, Duration length) {
        Instant start() {
            return end.minus(length);
        }

        /** Whether this pause fell inside {@code [from, to]}, even in part. */
        boolean overlaps(Instant from, Instant to) {
            return start().isBefore(to) && end.isAfter(from);
        }

        public String describe() {
            return String.format(Locale.ROOT, "%.1f ms %s", length.toNanos() / 1e6, kind);
        }
    }

    /**
     * A line of {@code -Xlog:gc} with the {@code utctime} decorator that ends a pause, as the parallel, serial and G1
     * collectors write it: {@code [2026-12-07T18:20:00.123+0000] GC(12) Pause Young (Allocation Failure)
     * 1042M->844M(1716M) 9.023ms}. ZGC's pauses are not logged at this level (they are under a millisecond).
     */
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[(\\d{4}-\\d\\d-\\d\\dT[^\\]]+)\\].* GC\\(\\d+\\) (Pause (?:Young|Full|Remark|Cleanup)).* (\\d+\\.\\d+)ms$");

    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private final List<Pause> pauses;

    private GcPauses(List<Pause> pauses) {
        this.pauses = List.copyOf(pauses);
    }

    /** The pauses among {@code lines}, in log order; other lines (phases, heap sizes, start lines) are skipped. */
    public static GcPauses parse(List<String> lines) {
        List<Pause> pauses = new ArrayList<>();
        for (String line : lines) {
            Matcher pause = PAUSE.matcher(line.strip());
            if (pause.matches()) {
                Instant end = OffsetDateTime.parse(pause.group(1), UTC_TIME).toInstant();
                long micros = Math.round(Double.parseDouble(pause.group(3)) * 1_000);
                pauses.add(new Pause(pause.group(2), end, Duration.ofNanos(micros * 1_000)));
            }
        }
        return new GcPauses(pauses);
    }

    public List<Pause> all() {
        return pauses;
    }

    /** The pauses inside {@code [from, to]}, even in part. */
    public GcPauses between(Instant from, Instant to) {
        return new GcPauses(pauses.stream().filter(p -> p.overlaps(from, to)).toList());
    }

    /** The longest pause inside {@code [from, to]}, if any: the one an answer sent then waited behind. */
    public Optional<Pause> longestDuring(Instant from, Instant to) {
        return between(from, to).pauses.stream().max((a, b) -> a.length().compareTo(b.length()));
    }

    /**
     * Of answers each sent at {@code sentAt[i]} and taking {@code nanos[i]}: how many waited behind a pause, and the
     * slowest that waited behind none (0 when every one did), the proxy's own worst case apart from its collector.
     */
    public record Answers(int behindPause, long slowestBehindNoneNanos) {}

    /** The pause the answer sent at {@code sentAt} and taking {@code nanos} waited behind, if any (the longest). */
    public Optional<Pause> behind(Instant sentAt, long nanos) {
        return longestDuring(sentAt, sentAt.plusNanos(nanos));
    }

    /** {@link Answers} of the answers sent at {@code sentAt} and taking {@code nanos}, index by index. */
    public Answers answers(Instant[] sentAt, long[] nanos) {
        int behind = 0;
        long slowestClear = 0;
        for (int i = 0; i < sentAt.length; i++) {
            if (behind(sentAt[i], nanos[i]).isPresent()) {
                behind++;
            } else {
                slowestClear = Math.max(slowestClear, nanos[i]);
            }
        }
        return new Answers(behind, slowestClear);
    }

    /** Count, median and longest per kind, e.g. {@code 3 Pause Young (p50 12.1 ms, max 21.2 ms)}; "none" if none. */
    public String summary() {
        if (pauses.isEmpty()) {
            return "none logged";
        }
        List<String> parts = new ArrayList<>();
        pauses.stream().map(Pause::kind).distinct().forEach(kind -> {
            double[] millis = pauses.stream()
                    .filter(p -> p.kind().equals(kind))
                    .mapToDouble(p -> p.length().toNanos() / 1e6)
                    .sorted()
                    .toArray();
            parts.add(String.format(
                    Locale.ROOT,
                    "%d %s (p50 %.1f ms, max %.1f ms)",
                    millis.length,
                    kind,
                    millis[(millis.length - 1) / 2],
                    Arrays.stream(millis).max().orElse(0)));
        });
        return String.join(", ", parts);
    }
}
