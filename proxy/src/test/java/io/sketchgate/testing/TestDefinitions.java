package io.sketchgate.testing;

import io.sketchgate.config.EdgeReads;
import io.sketchgate.config.KibanaRewriteMode;
import io.sketchgate.config.RealtimeSettings;
import io.sketchgate.config.UniqueCountDefinition;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/** Unique-count definitions as the tests write them: what is counted, with the default serving settings. */
public final class TestDefinitions {
    private TestDefinitions() {}

    /**
     * A definition with the default {@link RealtimeSettings} for its granularity and lateness and the default
     * {@code kibana_rewrite} ({@link KibanaRewriteMode#DEFAULT}), as a file that leaves both out reads.
     */
    public static UniqueCountDefinition definition(
            String name,
            String source,
            String timeField,
            String uniqueField,
            List<String> dimensions,
            Duration granularity,
            List<ZoneId> timeZones,
            int precision,
            Duration lateness,
            int maxExactValues) {
        return new UniqueCountDefinition(
                name,
                source,
                timeField,
                uniqueField,
                dimensions,
                granularity,
                timeZones,
                precision,
                lateness,
                maxExactValues,
                RealtimeSettings.defaults(granularity, lateness),
                KibanaRewriteMode.DEFAULT,
                EdgeReads.DEFAULT);
    }
}
