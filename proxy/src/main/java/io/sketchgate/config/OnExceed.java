package io.sketchgate.config;

import java.util.Locale;

/** What happens to a request whose time range is longer than {@code max_time_range} allows. */
public enum OnExceed {
    /** Answer 400 and do not forward. Stricter than {@link #CLAMP}. */
    REJECT,
    /** Narrow the range to the most recent allowed window inside the requested one. */
    CLAMP;

    /** The spelling in the config file: {@code reject}, {@code clamp}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
