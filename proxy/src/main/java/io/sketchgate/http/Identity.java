package io.sketchgate.http;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, as far as policy and Sketchgate's own API are concerned; resolved by {@code
 * identity.IdentityResolver} from the sources the operator configured, and by nothing else.
 *
 * @param user     the user name; {@value #ANONYMOUS_USER} for an anonymous request, {@code -} when identity is
 *                 not configured
 * @param roles    Sketchgate roles, in the order the source gave them
 * @param source   which source said so
 * @param internal whether this is Kibana's own background traffic ({@code identity.kibana_internal})
 */
public record Identity(String user, Set<String> roles, Source source, boolean internal) {
    public static final String ANONYMOUS_USER = "anonymous";

    /** The role that may use the admin endpoints. */
    public static final String ADMIN_ROLE = "sketchgate_admin";

    /** Identity is not configured: nobody is known, nobody is an admin. */
    public static final Identity UNIDENTIFIED = new Identity("-", Set.of(), Source.NONE, false);

    /** Where an identity came from. */
    public enum Source {
        SIGNED_HEADER,
        ELASTICSEARCH,
        STATIC,
        /** No credentials, and {@code identity.anonymous_role} (or identity being off) let the request in. */
        ANONYMOUS,
        /** Identity is not configured. */
        NONE
    }

    public Identity {
        Objects.requireNonNull(user, "user");
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        Objects.requireNonNull(source, "source");
    }

    public static Identity anonymous(String role) {
        return new Identity(ANONYMOUS_USER, Set.of(role), Source.ANONYMOUS, false);
    }

    public static Identity of(String user, List<String> roles, Source source) {
        return new Identity(user, new LinkedHashSet<>(roles), source, false);
    }

    public boolean isAnonymous() {
        return source == Source.ANONYMOUS;
    }

    public boolean isAdmin() {
        return roles.contains(ADMIN_ROLE);
    }
}
