package io.sketchgate.config;

import java.util.Objects;

/** A password or key: never printed, whatever prints the config. */
public record Secret(String value) {
    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "******";
    }
}
