package io.sketchgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of {@code users}: how the {@code static} identity source checks the user's password, the roles it
 * gives them, and limits that override their roles' for this user whichever source identified them.
 *
 * @param passwordHash a bcrypt hash ({@code $2a$12$...}); without it the user cannot log in through {@code static},
 *                     but their overrides still apply when another source identifies them
 * @param roles        the user's roles when the {@code static} source identifies them
 */
public record UserConfig(Optional<Secret> passwordHash, List<String> roles, LimitSettings overrides) {
    /** {@code $2a$} / {@code $2b$} / {@code $2y$}, cost 04 to 31, 22 characters of salt and 31 of hash. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    public UserConfig {
        Objects.requireNonNull(passwordHash, "passwordHash");
        roles = List.copyOf(roles);
        Objects.requireNonNull(overrides, "overrides");
    }

    static UserConfig read(ConfigSection section) {
        Optional<Secret> hash = section.secret("password_hash");
        if (hash.isPresent() && !BCRYPT.matcher(hash.get().value()).matches()) {
            section.problem(
                    "password_hash",
                    "must be a bcrypt hash like $2a$12$ followed by 53 characters;"
                            + " make one with ./sketchgate hash-password");
            hash = Optional.empty();
        }
        List<String> roles = RoleNames.roles(section.list("roles"));
        LimitSettings overrides = LimitSettings.read(section.section("overrides"), true);
        return new UserConfig(hash, roles, overrides);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        passwordHash.ifPresent(h -> tree.put("password_hash", h.toString()));
        tree.put("roles", roles);
        if (!overrides.isEmpty()) {
            tree.put("overrides", overrides.toYamlTree());
        }
        return tree;
    }
}
