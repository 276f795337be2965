package io.sketchgate.uniques;

import java.util.Arrays;

/** Wall-clock latencies of repeated requests, in nanoseconds; nearest-rank percentiles. */
record Latencies(long[] nanos) {

    Latencies {
        if (nanos.length == 0) {
            throw new IllegalArgumentException("no latencies measured");
        }
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    double medianMillis() {
        return percentileMillis(50);
    }

    double p90Millis() {
        return percentileMillis(90);
    }

    int count() {
        return nanos.length;
    }

    private double percentileMillis(double percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * nanos.length);
        return nanos[Math.max(0, rank - 1)] / 1e6;
    }
}
