package io.sketchgate.esapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * An {@code _msearch} / {@code _msearch/template} body split into (header, body) pairs, as Elasticsearch 8's
 * {@code MultiSearchRequest.readMultiLineFormat} reads it:
 * <ul>
 *   <li>lines end with {@code \n}; a {@code \r} before it is JSON whitespace; the body must end with
 *       {@code \n} (ES 8 rejects it otherwise; ES 7 silently dropped the unterminated line, so rejecting is
 *       the safe common answer);
 *   <li>an empty header line means "defaults" (the path's indices); an empty body line is an error;
 *   <li>each line is exactly one JSON object, duplicate keys rejected (as ES's parser does);
 *   <li>a header's {@code index} (or {@code indices}) is a comma-separated string or an array;
 *   <li>a last header without a body line is ignored, as ES ignores it.
 * </ul>
 * Unknown header keys are left to ES, which rejects the whole request. Only JSON is read: an SMILE/CBOR/YAML
 * body is refused, because policy must read what it governs.
 *
 * <p>Byte ranges exclude the line terminator, so the proxy can rebuild a body with only allowed items
 * ({@link #rebuild}).
 */
public final class MultiSearchBody {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** [start, end) in the original body. */
    public record Range(int start, int end) {
        public int length() {
            return end - start;
        }
    }

    /**
     * One search of the request, in order; {@code number} is its slot in ES's {@code responses} array.
     * {@code headerLine} is 1-based.
     */
    public record Item(
            int number,
            int headerLine,
            JsonNode header,
            IndexTargets targets,
            JsonNode body,
            Range headerRange,
            Range bodyRange) {}

    private final byte[] source;
    private final List<Item> items;

    private MultiSearchBody(byte[] source, List<Item> items) {
        this.source = source;
        this.items = List.copyOf(items);
    }

    public List<Item> items() {
        return items;
    }

    /**
     * @param contentType the request's {@code Content-Type} (null: JSON, as ES assumes nothing else for ndjson)
     * @param pathTargets the indices of the path, which a header without {@code index} searches
     */
    public static MultiSearchBody parse(byte[] body, String contentType, IndexTargets pathTargets, Instant now) {
        requireJson(contentType);
        List<Item> items = new ArrayList<>();
        int from = 0;
        int line = 1;
        while (from < body.length) {
            int headerEnd = indexOf(body, from);
            if (headerEnd < 0) {
                throw new MalformedMultiSearchException(line, "the _msearch body must end with a newline [\\n]");
            }
            Range headerRange = new Range(from, headerEnd);
            int headerLine = line;
            JsonNode header = isBlank(body, headerRange) ? JSON.createObjectNode() : object(body, headerRange, line);
            from = headerEnd + 1;
            line++;
            if (from >= body.length) {
                break; // a header without a body: ES ignores it
            }
            int bodyEnd = indexOf(body, from);
            if (bodyEnd < 0) {
                throw new MalformedMultiSearchException(line, "the _msearch body must end with a newline [\\n]");
            }
            Range bodyRange = new Range(from, bodyEnd);
            if (isBlank(body, bodyRange)) {
                throw new MalformedMultiSearchException(
                        line, "a search body line must be a JSON object, found an empty line");
            }
            JsonNode search = object(body, bodyRange, line);
            items.add(new Item(
                    items.size(),
                    headerLine,
                    header,
                    targets(header, pathTargets, headerLine, now),
                    search,
                    headerRange,
                    bodyRange));
            from = bodyEnd + 1;
            line++;
        }
        return new MultiSearchBody(body, items);
    }

    /** A body with only the items {@code keep} accepts, each as header line + body line, in order. */
    public byte[] rebuild(Predicate<Item> keep) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.length);
        for (Item item : items) {
            if (keep.test(item)) {
                out.write(source, item.headerRange().start(), item.headerRange().length());
                out.write('\n');
                out.write(source, item.bodyRange().start(), item.bodyRange().length());
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private static IndexTargets targets(JsonNode header, IndexTargets pathTargets, int line, Instant now) {
        JsonNode index = header.has("index") ? header.get("index") : header.get("indices");
        if (index == null || index.isNull()) {
            return pathTargets;
        }
        if (index.isTextual()) {
            return IndexExpressions.parse(index.asText(), now);
        }
        if (index.isArray()) {
            List<String> names = new ArrayList<>();
            for (JsonNode name : index) {
                if (!name.isValueNode()) {
                    throw new MalformedMultiSearchException(line, "[index] must be a string or an array of strings");
                }
                names.add(name.asText());
            }
            return IndexExpressions.parse(names, now);
        }
        throw new MalformedMultiSearchException(line, "[index] must be a string or an array of strings");
    }

    private static JsonNode object(byte[] body, Range range, int line) {
        try {
            JsonNode node = JSON.readTree(body, range.start(), range.length());
            if (node == null || !node.isObject()) {
                throw new MalformedMultiSearchException(line, "expected a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedMultiSearchException(line, e.getOriginalMessage());
        } catch (IOException e) {
            throw new MalformedMultiSearchException(line, e.getMessage());
        }
    }

    private static void requireJson(String contentType) {
        if (contentType == null) {
            return;
        }
        String media = contentType.toLowerCase(Locale.ROOT);
        int semicolon = media.indexOf(';');
        media = (semicolon >= 0 ? media.substring(0, semicolon) : media).trim();
        if (!(media.equals("application/x-ndjson")
                || media.equals("application/json")
                || media.equals("application/vnd.elasticsearch+x-ndjson")
                || media.equals("application/vnd.elasticsearch+json"))) {
            throw new RequestClassificationException(
                    "sketchgate_msearch_parse_exception",
                    "_msearch bodies must be ndjson; Content-Type [" + contentType + "] cannot be inspected");
        }
    }

    private static int indexOf(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isBlank(byte[] body, Range range) {
        for (int i = range.start(); i < range.end(); i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
