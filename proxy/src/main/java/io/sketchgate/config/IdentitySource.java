package io.sketchgate.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The names allowed in {@code identity.sources}. */
public enum IdentitySource {
    SIGNED_HEADER,
    ELASTICSEARCH,
    STATIC;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static String allowed() {
        return Arrays.stream(values()).map(IdentitySource::configName).collect(Collectors.joining(", "));
    }

    static Optional<IdentitySource> of(String name) {
        return Arrays.stream(values()).filter(s -> s.configName().equals(name)).findFirst();
    }
}
