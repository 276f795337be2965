package io.sketchgate.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A search body narrowed to a window, with the window's bounds as ISO-8601 UTC strings for a response header.
 *
 * @param body   the new body, sharing nothing with the original
 * @param window the span the new body admits, intersected with what the original required
 * @param from   first included instant ({@code 2024-04-15T12:00:00.000Z}), empty when the window has no lower bound
 *               or is empty
 * @param to     last included instant, empty when the window has no upper bound or is empty
 */
public record ClampedSearch(ObjectNode body, TimeSpan window, Optional<String> from, Optional<String> to) {

    public ClampedSearch {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    /** ISO-8601 interval {@code from/to}, {@code ..} for an open end, {@code empty} for the empty window. */
    public String headerValue() {
        if (window.isEmpty()) {
            return "empty";
        }
        return from.orElse("..") + "/" + to.orElse("..");
    }
}
