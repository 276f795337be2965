package io.sketchgate.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who called Sketchgate's own API, resolved from the same identity sources as proxied requests.
 *
 * @param user  the user name; {@code -} when identity is off
 * @param roles Sketchgate roles
 */
public record ApiCaller(String user, Set<String> roles) {
    /** The role that may use the admin endpoints. */
    public static final String ADMIN_ROLE = "sketchgate_admin";

    /** Identity is not configured: nobody is known, nobody is an admin. */
    public static final ApiCaller UNIDENTIFIED = new ApiCaller("-", Set.of());

    public ApiCaller {
        Objects.requireNonNull(user, "user");
        roles = Set.copyOf(roles);
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }
}
