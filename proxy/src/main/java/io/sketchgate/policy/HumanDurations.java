package io.sketchgate.policy;

import java.time.Duration;

/** Durations in messages people read: {@code 3 s}, {@code 4 min 5 s}, {@code 5 h 3 min}, rounded up. */
final class HumanDurations {
    private HumanDurations() {}

    static String format(Duration duration) {
        long seconds = Math.max(1, Rejection.ceilSeconds(duration));
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            long s = seconds % 60;
            return seconds / 60 + " min" + (s == 0 ? "" : " " + s + " s");
        }
        long minutes = (seconds + 59) / 60;
        long m = minutes % 60;
        return minutes / 60 + " h" + (m == 0 ? "" : " " + m + " min");
    }

    /** Config limits as written with their unit spelled for reading: {@code 30 min}, {@code 1500 ms}. */
    static String formatLimit(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        return format(duration);
    }
}
