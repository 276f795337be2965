package io.sketchgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Whether Kibana's cardinality searches over a unique-count definition's source are answered from its sketches
 * ({@code kibana_rewrite:} of a definition). {@link #OFF} is the default: answers change source only when an
 * operator has compared them in {@link #SHADOW} mode and turned the rewrite on.
 */
public enum KibanaRewriteMode {
    /** Matching searches are answered by Sketchgate; Elasticsearch does not see them. */
    ON,
    /** Never rewritten. */
    OFF,
    /** Sent to Elasticsearch as usual; the rewrite is computed too and both answers are logged side by side. */
    SHADOW;

    public static final KibanaRewriteMode DEFAULT = OFF;

    /** The spelling in the config file: {@code on}, {@code off}, {@code shadow}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<KibanaRewriteMode> parse(String text) {
        for (KibanaRewriteMode mode : values()) {
            if (mode.configName().equals(text)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
