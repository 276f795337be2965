package io.sketchgate.esapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.http.ErrorType;
import io.sketchgate.http.ProxyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * One request's body, parsed once and shared by every stage that reads it (continuation ownership, point-in-time
 * binding, the time-span check, the Kibana rewrite). Parsing is strict about duplicate keys, so no stage can read a
 * body differently from another or from Elasticsearch. Each form is parsed
 * on first use and remembered, failures included; a request nobody reads is never parsed.
 */
public final class ParsedRequest {
    // duplicate keys would let two readers see different queries (ES reads the last); locations carry no source
    static final ObjectMapper STRICT_JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION.mappedFeature());

    private final ClassifiedRequest classified;
    private final Optional<byte[]> body;
    private final String contentType;
    private final Instant now;
    private Parsed<Optional<JsonNode>> json;
    private Parsed<MultiSearchBody> lines;
    private Optional<SearchOutline> outline;

    public ParsedRequest(ClassifiedRequest classified, Optional<byte[]> body, String contentType, Instant now) {
        this.classified = classified;
        this.body = body;
        this.contentType = contentType;
        this.now = now;
    }

    /** A request Sketchgate builds itself, already as JSON (the UV API's read check). */
    public static ParsedRequest ofJson(ClassifiedRequest classified, JsonNode body, Instant now) {
        ParsedRequest request = new ParsedRequest(classified, Optional.empty(), "application/json", now);
        request.json = new Parsed<>(Optional.of(body), null);
        return request;
    }

    public ClassifiedRequest classified() {
        return classified;
    }

    /** The body as received (after decompression); empty when the request had none. */
    public Optional<byte[]> body() {
        return body;
    }

    public String contentType() {
        return contentType;
    }

    /** When the request was classified: "now" of its date math. */
    public Instant now() {
        return now;
    }

    /**
     * The JSON body of a query, from the request or the {@code source=} URL parameter; empty when there is none, and
     * for the newline-delimited bodies of {@code _msearch} (see {@link #lines}).
     *
     * @throws ProxyException 400 {@code parsing_exception} when the body is not one valid JSON value
     */
    public Optional<JsonNode> json() {
        if (json == null) {
            json = Parsed.of(this::parseJson);
        }
        return json.get();
    }

    /**
     * The search body read in one streaming pass, for the stages that need only its outline (the time-span check);
     * empty when the pass does not recognise the body (see {@link SearchOutline}), when the tree was already built,
     * and for {@code _msearch}, {@code source=} and non-ASCII bodies. Then read {@link #json}: it decides every body.
     * A present outline implies that {@link #json} would succeed.
     */
    public Optional<SearchOutline> outline() {
        if (outline == null) {
            outline = json != null ? Optional.empty() : readOutline();
        }
        return outline;
    }

    /**
     * Fails as {@link #json} would when the body is not readable, building the tree only when the streaming pass
     * could not vouch for the body.
     *
     * @throws ProxyException 400 {@code parsing_exception} when the body is not one valid JSON value
     */
    public void requireReadable() {
        if (outline().isEmpty()) {
            json();
        }
    }

    private Optional<SearchOutline> readOutline() {
        QueryEndpoint endpoint = classified.endpoint();
        if (endpoint == QueryEndpoint.MSEARCH
                || endpoint == QueryEndpoint.MSEARCH_TEMPLATE
                || body.isEmpty()
                || AsciiText.of(body.get()) != AsciiText.TEXT) {
            return Optional.empty();
        }
        return SearchOutline.read(STRICT_JSON, body.get());
    }

    /** {@link #json}, or empty when the body is not valid JSON (for stages that only look for ids). */
    public Optional<JsonNode> jsonIfReadable() {
        try {
            return json();
        } catch (ProxyException notJson) {
            return Optional.empty();
        }
    }

    /**
     * The searches of an {@code _msearch} body.
     *
     * @throws RequestClassificationException when the body is not header/body line pairs
     */
    public MultiSearchBody lines() {
        if (lines == null) {
            lines = Parsed.of(
                    () -> MultiSearchBody.parse(body.orElse(new byte[0]), contentType, classified.targets(), now));
        }
        return lines.get();
    }

    private Optional<JsonNode> parseJson() {
        QueryEndpoint endpoint = classified.endpoint();
        if (endpoint == QueryEndpoint.MSEARCH || endpoint == QueryEndpoint.MSEARCH_TEMPLATE) {
            return Optional.empty(); // ndjson: read line by line
        }
        Optional<byte[]> bytes = body.filter(b -> b.length > 0);
        try {
            AsciiText ascii = bytes.isPresent() ? AsciiText.of(bytes.get()) : AsciiText.NOT_ASCII;
            if (ascii == AsciiText.BLANK) {
                return Optional.empty();
            }
            if (ascii == AsciiText.TEXT) {
                // Read as bytes: the same tree and errors as through a String (ASCII decodes one to one), without
                // the copy and with Jackson's faster byte parser. Other bodies keep the String path, where invalid
                // UTF-8 becomes U+FFFD as it always has.
                return Optional.of(STRICT_JSON.readTree(bytes.get()));
            }
        } catch (JsonProcessingException e) {
            throw notJson(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte array does no I/O
        }
        Optional<String> text = bytes.map(b -> new String(b, StandardCharsets.UTF_8))
                .or(() -> classified.urlBody().map(ClassifiedRequest.UrlBody::content));
        if (text.isEmpty() || text.get().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(STRICT_JSON.readTree(text.get()));
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
    }

    private static ProxyException notJson(JsonProcessingException e) {
        return ErrorType.PARSING.exception(
                "The request body is not valid JSON (" + io.sketchgate.http.JsonErrors.describe(e)
                        + "). Sketchgate reads query bodies" + " to apply limits; fix the JSON and send it again.");
    }

    /** What a body is, as far as choosing how to parse it goes; {@code BLANK} as {@link String#isBlank} says. */
    private enum AsciiText {
        NOT_ASCII,
        BLANK,
        TEXT;

        private static final long HIGH_BITS = 0x8080808080808080L;
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.nativeOrder());

        static AsciiText of(byte[] bytes) {
            int text = 0;
            while (text < bytes.length && bytes[text] >= 0 && Character.isWhitespace(bytes[text])) {
                text++; // leading white space: a body of nothing else is blank
            }
            if (!ascii(bytes, text)) {
                return NOT_ASCII;
            }
            return text == bytes.length ? BLANK : TEXT;
        }

        /** No byte from {@code from} on has its high bit set; eight at a time, as this runs over every body. */
        private static boolean ascii(byte[] bytes, int from) {
            int i = from;
            for (; i + Long.BYTES <= bytes.length; i += Long.BYTES) {
                if (((long) LONGS.get(bytes, i) & HIGH_BITS) != 0) {
                    return false;
                }
            }
            for (; i < bytes.length; i++) {
                if (bytes[i] < 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A parse result or its failure, remembered so that a second reader sees the same outcome without work. */
    private record Parsed<T>(T value, RuntimeException failure) {
        static <T> Parsed<T> of(java.util.function.Supplier<T> parse) {
            try {
                return new Parsed<>(parse.get(), null);
            } catch (RuntimeException e) {
                return new Parsed<>(null, e);
            }
        }

        T get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }
}
