package io.sketchgate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Waits, before a measured request, until the machine's CPUs have gone quiet. The latency benchmarks run
 * Elasticsearch, the proxy and the client on the same two cores; an Elasticsearch aggregation may leave work behind
 * (its collector, merges) that would run inside the next answer of whichever side comes next, which in production,
 * on other machines, it would not. Both sides wait alike and the waits are reported. The wait has a price on a VM
 * whose idle vCPUs halt at once: the next request wakes them (benchmarks/README.md), so it is off by default.
 *
 * <p>Quiet means at least {@link #IDLE_SHARE} of all CPU time idle over one {@link #WINDOW_MILLIS} window, read from
 * {@code /proc/stat} (10 ms ticks). After {@link #maxWaitMillis} the request is sent anyway and the wait counts as
 * capped.
 */
public final class QuietMachine {
    static final double IDLE_SHARE = 0.9;
    static final long WINDOW_MILLIS = 50;
    private static final Path STAT = Path.of("/proc/stat");

    private final long maxWaitMillis;
    private final boolean enabled;
    private final List<Long> waitedMillis = new ArrayList<>();
    private int capped;

    private QuietMachine(boolean enabled, long maxWaitMillis) {
        this.enabled = enabled;
        this.maxWaitMillis = maxWaitMillis;
    }

    /** Waits for quiet before every measured request, at most {@code maxWaitMillis} each time. */
    public static QuietMachine waitingAtMost(long maxWaitMillis) {
        return new QuietMachine(Files.isReadable(STAT), maxWaitMillis);
    }

    /** Never waits: the requests follow each other as fast as they answer. */
    public static QuietMachine off() {
        return new QuietMachine(false, 0);
    }

    /** Blocks until one window was quiet, or until the cap. */
    public void await() throws IOException, InterruptedException {
        if (!enabled) {
            return;
        }
        long started = System.nanoTime();
        long[] before = idleAndTotal();
        while (true) {
            Thread.sleep(WINDOW_MILLIS);
            long[] after = idleAndTotal();
            long total = after[1] - before[1];
            boolean quiet = total > 0 && (after[0] - before[0]) >= IDLE_SHARE * total;
            long waited = (System.nanoTime() - started) / 1_000_000;
            if (quiet || waited >= maxWaitMillis) {
                waitedMillis.add(waited);
                capped += quiet ? 0 : 1;
                return;
            }
            before = after;
        }
    }

    /** One line for the report: how often it waited, the median wait, and how many waits hit the cap. */
    public String summary() {
        if (!enabled) {
            return "requests sent back to back (no wait for a quiet machine)";
        }
        long[] sorted =
                waitedMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        return String.format(
                Locale.ROOT,
                "each measured request waited for a quiet machine (>= %.0f%% idle over %d ms): %d waits, median %d ms,"
                        + " %d capped at %d ms",
                IDLE_SHARE * 100,
                WINDOW_MILLIS,
                sorted.length,
                median,
                capped,
                maxWaitMillis);
    }

    /** {idle + iowait ticks, all ticks} of the aggregate {@code cpu} line. */
    private static long[] idleAndTotal() throws IOException {
        String line = Files.readAllLines(STAT).get(0);
        String[] fields = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= 8 && i < fields.length; i++) { // user .. steal; guest time is already in user
            total += Long.parseLong(fields[i]);
        }
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        return new long[] {idle, total};
    }
}
