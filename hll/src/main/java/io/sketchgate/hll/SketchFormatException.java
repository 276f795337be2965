package io.sketchgate.hll;

/**
 * Stored sketch bytes that cannot be trusted: truncated, corrupt, foreign or from a newer format.
 *
 * <p>Decoding throws this instead of returning a sketch whose estimate could be wrong; the proxy
 * maps it to a single error response.
 */
public final class SketchFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SketchFormatException(String message) {
        super(message);
    }

    public SketchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
