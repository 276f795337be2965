package io.sketchgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * {@code identity.decision_header}: who gets {@code X-Sketchgate-Decision} on responses. It describes the policy
 * applied (roles, limits, time span, clamp, queue wait), which tells a user how to work around limits, so by default
 * only administrators (role {@code sketchgate_admin}) see it; {@code everyone} is for debugging a setup.
 */
public enum DecisionHeaderAudience {
    ADMINS,
    EVERYONE;

    static DecisionHeaderAudience read(ConfigSection section, String key) {
        Optional<ConfigValue> value = section.value(key);
        Optional<String> text = value.flatMap(ConfigValue::string);
        if (text.isEmpty()) {
            return ADMINS;
        }
        for (DecisionHeaderAudience audience : values()) {
            if (audience.configName().equals(text.get())) {
                return audience;
            }
        }
        value.get().problem("must be one of admins, everyone");
        return ADMINS;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
