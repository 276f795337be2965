package io.sketchgate.http;

/**
 * An exception of a lower-level reader (classification, index resolution, time spans) that knows its place in
 * {@link ErrorType}, so the {@link ErrorTranslator} can answer it without knowing the reader.
 */
public interface ErrorShaped {
    ProxyException toProxyException();
}
