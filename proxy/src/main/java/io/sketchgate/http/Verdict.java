package io.sketchgate.http;

import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** The outcome of {@link RequestPolicy#evaluate}: forward (perhaps changed) or answer with an error. */
public sealed interface Verdict {

    /** Who asked, for the access log ({@code -} when unknown). */
    String user();

    /** A short description of the decision, for the access log, e.g. {@code allowed role=analyst span=7d}. */
    String decision();

    static Allow allow(String user, String decision) {
        return new Allow(
                user,
                DecisionText.of(decision),
                Optional.empty(),
                Map.of(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                outcome -> {},
                Optional.empty(),
                Optional.empty());
    }

    /** A deadline for the upstream's answer, with the limit's name for the error message. */
    record ExecutionLimit(Duration duration, String describe) {
        /** The answer at the deadline: 400, not 504 — Kibana's client retries 5xx and marks the node dead. */
        public ProxyException exceeded() {
            return new ProxyException(
                    io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST,
                    "sketchgate_execution_time_exception",
                    "The query ran longer than the "
                            + io.sketchgate.config.Durations.format(duration) + " allowed (" + describe
                            + ") and was cancelled."
                            + " Narrow the time range or simplify the query, or ask an administrator to raise the limit.");
        }
    }

    /**
     * Forward the request.
     *
     * @param decisionText    the decision in words, built when first read
     * @param body            a replacement body (e.g. a clamped query), sent uncompressed
     * @param responseHeaders added to the response sent to the client (e.g. {@code Warning})
     * @param executionLimit  how long the upstream may take before Sketchgate answers 400 and closes it
     * @param responseRewrite rewrites a 200 response's whole JSON body (e.g. to put refused {@code _msearch}
     *                        searches back in their slots); the response is then buffered, bounded
     * @param firstBodyChunk  shown the first bytes of the response body, on the event loop, without keeping them
     *                        (e.g. to learn the ids a search hands out); it must not change or hold the buffer
     * @param onFinished      called once when the exchange ends, whatever the outcome (releases quotas)
     * @param uri             a replacement request URI (e.g. with the continuation ids Sketchgate handed out unwrapped)
     * @param responsePrefix  rewrites the first bytes of a 200 response body, the rest streams unchanged (e.g. to
     *                        wrap the ids a search hands out)
     */
    record Allow(
            String user,
            DecisionText decisionText,
            Optional<byte[]> body,
            Map<String, String> responseHeaders,
            Optional<ExecutionLimit> executionLimit,
            Optional<UnaryOperator<byte[]>> responseRewrite,
            Optional<Consumer<ByteBuf>> firstBodyChunk,
            Consumer<Outcome> onFinished,
            Optional<String> uri,
            Optional<PrefixRewrite> responsePrefix)
            implements Verdict {

        /** The decision in words, built on first read ({@link DecisionText}). */
        @Override
        public String decision() {
            return decisionText.text();
        }

        /** The same permission, with an observer of the response's first bytes. */
        public Allow observingFirstBodyChunk(Consumer<ByteBuf> observer) {
            return copy(body, responseHeaders, Optional.of(observer), uri, responsePrefix);
        }

        /** The same permission, forwarding {@code newUri}, {@code newBody} and rewriting the response's first bytes. */
        public Allow with(Optional<String> newUri, Optional<byte[]> newBody, Optional<PrefixRewrite> prefix) {
            return copy(newBody, responseHeaders, firstBodyChunk, newUri, prefix);
        }

        /** The same permission with other response headers. */
        public Allow withResponseHeaders(Map<String, String> headers) {
            return copy(body, headers, firstBodyChunk, uri, responsePrefix);
        }

        /** The one copy: who, the decision, the deadline, the response rewrite and the end stay. */
        private Allow copy(
                Optional<byte[]> newBody,
                Map<String, String> headers,
                Optional<Consumer<ByteBuf>> observer,
                Optional<String> newUri,
                Optional<PrefixRewrite> prefix) {
            return new Allow(
                    user,
                    decisionText,
                    newBody,
                    headers,
                    executionLimit,
                    responseRewrite,
                    observer,
                    onFinished,
                    newUri,
                    prefix);
        }
    }

    /** Rewrites the first bytes of a response body; the rest streams unchanged. */
    @FunctionalInterface
    interface PrefixRewrite {
        /**
         * The bytes to send instead of {@code prefix}, or null while more bytes are needed to decide.
         *
         * @param complete no more bytes will be offered (the body ended, or the prefix reached Sketchgate's bound):
         *                 the answer must not be null
         */
        byte[] apply(byte[] prefix, boolean complete);
    }

    /**
     * Sketchgate answers itself with this JSON (e.g. an {@code _msearch} whose every search was refused, a search
     * answered from the unique-count index); {@code headers} go on the response besides the JSON ones.
     */
    record Answer(String user, String decision, int status, byte[] json, Map<String, String> headers)
            implements Verdict {
        public Answer {
            headers = Map.copyOf(headers);
        }

        public Answer(String user, String decision, int status, byte[] json) {
            this(user, decision, status, json, Map.of());
        }
    }

    /** Answer with this error; {@code headers} go on the error response (e.g. {@code Retry-After}). */
    record Deny(String user, String decision, ProxyException error, Map<String, String> headers) implements Verdict {}

    /** How a forwarded request ended: the upstream status (or Sketchgate's) and Elasticsearch's {@code took}. */
    record Outcome(int status, OptionalLong tookMillis) {}
}
