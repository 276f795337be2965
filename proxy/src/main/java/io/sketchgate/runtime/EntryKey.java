package io.sketchgate.runtime;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one stored run-time change is about: a role's definition, a user's overrides or a unique-count
 * definition. Its document id in the config index is {@code role:NAME}, {@code user:NAME} or
 * {@code unique_count:NAME}.
 */
public record EntryKey(Kind kind, String name) {
    public enum Kind {
        ROLE("roles", "role", "/_sketchgate/quotas/roles/"),
        USER("users", "user", "/_sketchgate/quotas/users/"),
        UNIQUE_COUNT("unique-counts", "unique count", "/_sketchgate/unique-counts/");

        private final String plural;
        private final String noun;
        private final String pathPrefix;

        Kind(String plural, String noun, String pathPrefix) {
            this.plural = plural;
            this.noun = noun;
            this.pathPrefix = pathPrefix;
        }

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The path segment of the API: {@code roles}, {@code users}, {@code unique-counts}. */
        String plural() {
            return plural;
        }

        static Optional<Kind> fromWire(String text) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(text)) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }

    public EntryKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public String id() {
        return kind.wireName() + ":" + name;
    }

    /** {@code role analyst}, {@code unique count weblogs_uv}, for messages. */
    public String describe() {
        return kind.noun + " " + name;
    }

    /** {@code /_sketchgate/quotas/roles/analyst}, {@code /_sketchgate/unique-counts/weblogs_uv}. */
    public String path() {
        return kind.pathPrefix + name;
    }
}
