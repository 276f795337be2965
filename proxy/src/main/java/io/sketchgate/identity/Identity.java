package io.sketchgate.identity;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Who sent a request, as far as policy is concerned.
 *
 * @param user     the user name; {@value #ANONYMOUS_USER} for an anonymous request
 * @param roles    Sketchgate roles, in the order the source gave them
 * @param source   which source said so
 * @param internal whether this is Kibana's own background traffic ({@code identity.kibana_internal})
 */
public record Identity(String user, Set<String> roles, Source source, boolean internal) {
    public static final String ANONYMOUS_USER = "anonymous";

    /** Where an identity came from. */
    public enum Source {
        SIGNED_HEADER,
        ELASTICSEARCH,
        STATIC,
        /** No credentials, and {@code identity.anonymous_role} (or identity being off) let the request in. */
        ANONYMOUS
    }

    public Identity {
        Objects.requireNonNull(user, "user");
        roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        Objects.requireNonNull(source, "source");
    }

    public static Identity anonymous(String role) {
        return new Identity(ANONYMOUS_USER, Set.of(role), Source.ANONYMOUS, false);
    }

    static Identity of(String user, List<String> roles, Source source) {
        return new Identity(user, new LinkedHashSet<>(roles), source, false);
    }

    public boolean isAnonymous() {
        return source == Source.ANONYMOUS;
    }
}
