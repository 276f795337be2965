package io.sketchgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Sketchgate role names: letters, digits, {@code _ . -}. Roles travel comma-separated in
 * {@code X-Sketchgate-Roles} and newline-separated inside its signature, so neither may occur in a name.
 */
final class RoleNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    private RoleNames() {}

    static Optional<String> role(ConfigValue value) {
        return value.string().flatMap(s -> {
            if (NAME.matcher(s).matches()) {
                return Optional.of(s);
            }
            value.problem("must be a role name of letters, digits, _ . and - (at most 100)");
            return Optional.empty();
        });
    }

    /** The roles of a list, each valid one once, in file order. */
    static List<String> roles(List<ConfigValue> items) {
        List<String> roles = new ArrayList<>();
        for (ConfigValue item : items) {
            role(item).filter(r -> !roles.contains(r)).ifPresent(roles::add);
        }
        return List.copyOf(roles);
    }
}
