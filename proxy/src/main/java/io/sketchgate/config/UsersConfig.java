package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code users} section: user name to {@link UserConfig}, in file order. Empty when the section is absent. */
public record UsersConfig(Map<String, UserConfig> users) {
    public static final UsersConfig NONE = new UsersConfig(Map.of());

    /** Basic auth splits {@code user:password} at the first colon, so a name cannot contain one. */
    private static final Pattern NAME = Pattern.compile("[^:\\p{Cntrl}]{1,256}");

    public UsersConfig {
        users = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(users));
    }

    public Optional<UserConfig> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    /** Whether some user can log in through the {@code static} source. */
    public boolean anyWithPassword() {
        return users.values().stream().anyMatch(u -> u.passwordHash().isPresent());
    }

    static UsersConfig read(ConfigSection section) {
        Map<String, UserConfig> users = new LinkedHashMap<>();
        section.entries().forEach((name, value) -> {
            if (!NAME.matcher(name).matches()) {
                value.problemWithoutValue("is not a valid user name: it must not contain ':' or control characters");
                return;
            }
            value.section().map(UserConfig::read).ifPresent(user -> users.put(name, user));
        });
        return new UsersConfig(users);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        users.forEach((name, user) -> tree.put(name, user.toYamlTree()));
        return tree;
    }
}
