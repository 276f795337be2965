package io.sketchgate.config;

import java.util.Locale;

/** What a role's {@code on_exceed} does with a request whose time range is too long. */
public enum OnExceed {
    /** Answer 400 and do not forward. */
    REJECT,
    /** Narrow the range to the most recent allowed window and forward with a warning. */
    CLAMP;

    String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
