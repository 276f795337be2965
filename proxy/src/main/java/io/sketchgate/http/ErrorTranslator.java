package io.sketchgate.http;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes the error Sketchgate answers. A {@link ProxyException} is answered as it
 * is; an {@link ErrorShaped} exception as the error it names; anything else is a bug: logged with its stack trace
 * and answered {@link ErrorType#INTERNAL} (500) — never a silent 400, and the request is never forwarded.
 */
public final class ErrorTranslator {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorTranslator.class);

    private ErrorTranslator() {}

    public static ProxyException translate(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ProxyException proxy) {
            return proxy;
        }
        if (cause instanceof ErrorShaped shaped) {
            return shaped.toProxyException();
        }
        LOG.error("Sketchgate failed while handling a request", cause);
        return ErrorType.INTERNAL.exception("Sketchgate could not answer: "
                + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + ". The proxy log has the details.");
    }

    /** The failure inside the wrappers that futures put around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
