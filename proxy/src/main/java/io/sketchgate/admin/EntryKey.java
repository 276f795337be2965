package io.sketchgate.admin;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one stored run-time change is about: a role's definition or a user's overrides. Its document id in the
 * config index is {@code role:NAME} or {@code user:NAME}.
 */
record EntryKey(Kind kind, String name) {
    enum Kind {
        ROLE, USER;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The path segment of the API: {@code roles}, {@code users}. */
        String plural() {
            return wireName() + "s";
        }

        static Optional<Kind> fromWire(String text) {
            return switch (text) {
                case "role" -> Optional.of(ROLE);
                case "user" -> Optional.of(USER);
                default -> Optional.empty();
            };
        }
    }

    EntryKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    String id() {
        return kind.wireName() + ":" + name;
    }

    /** {@code role analyst}, for messages. */
    String describe() {
        return kind.wireName() + " " + name;
    }

    /** {@code /_sketchgate/quotas/roles/analyst}. */
    String path() {
        return "/_sketchgate/quotas/" + kind.plural() + "/" + name;
    }
}
