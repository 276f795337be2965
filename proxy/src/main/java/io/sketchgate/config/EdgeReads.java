package io.sketchgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How the unaligned edges of a unique-count question (10:17 in a definition of 1h granules) are read: the UV API's
 * {@code edges} parameter, and a definition's {@code kibana_edges} for the Kibana rewrite.
 */
public enum EdgeReads {
    /**
     * From stored sketches, nothing scanned for UV: the fine tier when the question reads the root subset (no split,
     * no filter), else the granules. A cut inside a stored granule makes the answer an estimate with proven bounds,
     * unless the granule keeps its values' first and last events and the cut reaches its start or its end; page
     * views stay exact, from the granules' per-minute counts or events' milliseconds, else a count of the cut's
     * events.
     */
    FINE,
    /**
     * Exact: a cut of a stored granule takes the values it keeps from the granule, with no request, where the
     * granule can tell them (its values' first and last events, or its registers per minute); any other cut reads
     * the edges' distinct values from the source, at the cost of a scan of the edges (the ways in turn:
     * {@code uniques.ExactCuts}).
     */
    EXACT;

    public static final EdgeReads DEFAULT = FINE;

    /** The spelling in the config file and the UV API: {@code fine}, {@code exact}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EdgeReads> parse(String text) {
        for (EdgeReads reads : values()) {
            if (reads.configName().equals(text)) {
                return Optional.of(reads);
            }
        }
        return Optional.empty();
    }
}
