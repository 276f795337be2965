package io.sketchgate.api;

/**
 * One part of readiness in {@code GET /_sketchgate/health} (e.g. a unique-count tailer caught up). Called on each
 * health request, on an event loop: answer from state already known, never block.
 */
@FunctionalInterface
public interface ReadinessCheck {
    Readiness check();

    /** @param detail why not ready, or what is being waited for; empty when ready */
    record Readiness(boolean ready, String detail) {
        public static Readiness ok() {
            return new Readiness(true, "");
        }

        public static Readiness notReady(String detail) {
            return new Readiness(false, detail);
        }
    }
}
