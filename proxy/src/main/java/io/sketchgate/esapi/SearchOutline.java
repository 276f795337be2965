package io.sketchgate.esapi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the time-span check needs of a search body, read in one streaming pass instead of a tree: the required
 * skeleton of its {@code query} (bools and ranges, every other query type as one opaque leaf), the names of its
 * {@code runtime_mappings} and its point-in-time id.
 *
 * <p><b>Recognised</b> (the shapes Kibana sends): a JSON object whose {@code query} nests {@code bool}
 * ({@code must}, {@code filter}, {@code should} as an object or an array of objects; {@code minimum_should_match}
 * as a string or integer; any other key, such as {@code must_not}, skipped), {@code range} (one field; its
 * parameters kept in order, scalar values only, as written) and {@code match_none}; any other query type becomes
 * {@link Leaf#OPAQUE}. Every other top-level key is skipped, except as below.
 *
 * <p><b>Not recognised</b> ({@link #read} returns empty and the caller falls back to the strict tree, which decides
 * exactly as before): any parse error, duplicate key (the same {@code STRICT_DUPLICATE_DETECTION} parser as
 * {@link ParsedRequest#json}), a root that is not an object, content after it, a {@code null} or non-object query
 * or clause, a query object with more than one type, {@code constant_score}, {@code function_score},
 * {@code script_score}, {@code boosting}, {@code dis_max}, nesting deeper than 100, a range that is not one field
 * holding an object, a range parameter that is a fraction, object or array, any field named {@code has_child} or
 * {@code has_parent} inside the query, any field named {@code global}, {@code children}, {@code parent},
 * {@code significant_terms} or {@code significant_text} inside {@code aggs}/{@code aggregations}, a non-null
 * {@code knn}, {@code retriever}, {@code sub_searches}, {@code rank} or {@code suggest}, and a
 * {@code runtime_mappings} that is not an object. Each of these either changes the span or is an error whose message
 * only the tree reproduces; a fallback costs time, never a different verdict ({@code FastPathDifferentialFuzzTest}).
 *
 * @param query         the query's skeleton; empty when the body has no {@code query}
 * @param runtimeFields the top-level names under {@code runtime_mappings}
 * @param pitId         {@code pit.id} when it is a string
 */
public record SearchOutline(Optional<Node> query, Set<String> runtimeFields, Optional<String> pitId) {
    static final int MAX_DEPTH = 100;

    private static final NameSet SECTIONS_BEYOND_QUERY =
            NameSet.of("knn", "retriever", "sub_searches", "rank", "suggest");
    private static final NameSet AGGREGATIONS_BEYOND_QUERY =
            NameSet.of("global", "children", "parent", "significant_terms", "significant_text");
    private static final NameSet JOIN_QUERIES = NameSet.of("has_child", "has_parent");
    private static final NameSet NOT_RECOGNISED =
            NameSet.of("constant_score", "function_score", "script_score", "boosting", "dis_max");

    /** One query of the skeleton. */
    public sealed interface Node permits Bool, Range, Leaf {}

    /** A query type that neither narrows nor is read: full text, term, exists, match_all... */
    public enum Leaf implements Node {
        OPAQUE,
        MATCH_NONE
    }

    /** @param minimumShouldMatch as written, null when absent or null */
    public record Bool(List<Node> must, List<Node> filter, List<Node> should, String minimumShouldMatch)
            implements Node {}

    /** @param field null for {@code "range": {}} */
    public record Range(String field, List<Param> params) implements Node {}

    /** One parameter of a range, in the order written; {@code text} as Elasticsearch would read the value. */
    public record Param(String key, Kind kind, String text) {}

    public enum Kind {
        STRING,
        INTEGER,
        BOOLEAN,
        NULL,
        /** a fraction, object or array: only {@code boost} and {@code _name} may hold one and still be read */
        OTHER
    }

    /** Thrown inside the pass for a shape it leaves to the tree; never escapes {@link #read}. */
    private static final class NotRecognised extends Exception {
        static final NotRecognised INSTANCE = new NotRecognised();

        private NotRecognised() {
            super(null, null, false, false);
        }
    }

    /**
     * Reads an ASCII body (the caller has checked) in one pass; empty when the body is not one of the recognised
     * shapes, including when it is not valid strict JSON.
     */
    static Optional<SearchOutline> read(ObjectMapper strict, byte[] body) {
        try (JsonParser parser = strict.createParser(body)) {
            return Optional.of(new Reader(parser).body());
        } catch (IOException | NotRecognised | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final class Reader {
        private final JsonParser parser;

        Reader(JsonParser parser) {
            this.parser = parser;
        }

        SearchOutline body() throws IOException, NotRecognised {
            expect(parser.nextToken() == JsonToken.START_OBJECT);
            Node query = null;
            Set<String> runtime = Set.of();
            String pit = null;
            for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                JsonToken value = parser.nextToken();
                switch (key) {
                    case "query" -> {
                        expect(value == JsonToken.START_OBJECT);
                        query = query(1);
                    }
                    case "runtime_mappings" -> runtime = runtimeFields(value);
                    case "aggs", "aggregations" -> skip(value, AGGREGATIONS_BEYOND_QUERY);
                    case "pit" -> pit = pitId(value);
                    default -> {
                        expect(!SECTIONS_BEYOND_QUERY.contains(key) || value == JsonToken.VALUE_NULL);
                        parser.skipChildren();
                    }
                }
            }
            expect(parser.nextToken() == null); // nothing after the body
            return new SearchOutline(Optional.ofNullable(query), runtime, Optional.ofNullable(pit));
        }

        /** At the START_OBJECT of a query; returns at its END_OBJECT. */
        private Node query(int depth) throws IOException, NotRecognised {
            expect(depth <= MAX_DEPTH);
            String type = name(parser.nextFieldName());
            if (type == null) {
                return Leaf.OPAQUE; // {}: matches everything
            }
            JsonToken value = parser.nextToken();
            Node node;
            if (type.equals("bool")) {
                expect(value == JsonToken.START_OBJECT);
                node = bool(depth);
            } else if (type.equals("range")) {
                expect(value == JsonToken.START_OBJECT);
                node = range();
            } else {
                expect(!NOT_RECOGNISED.contains(type));
                skip(value, JOIN_QUERIES);
                node = type.equals("match_none") ? Leaf.MATCH_NONE : Leaf.OPAQUE;
            }
            expect(parser.nextToken() == JsonToken.END_OBJECT); // exactly one query type
            return node;
        }

        private Node bool(int depth) throws IOException, NotRecognised {
            List<Node> must = List.of();
            List<Node> filter = List.of();
            List<Node> should = List.of();
            String minimumShouldMatch = null;
            for (String key = name(parser.nextFieldName()); key != null; key = name(parser.nextFieldName())) {
                JsonToken value = parser.nextToken();
                switch (key) {
                    case "must" -> must = clauses(value, depth);
                    case "filter" -> filter = clauses(value, depth);
                    case "should" -> should = clauses(value, depth);
                    case "minimum_should_match" ->
                        minimumShouldMatch = switch (value) {
                            case VALUE_NULL -> null;
                            case VALUE_STRING -> parser.getText();
                            case VALUE_NUMBER_INT -> parser.getBigIntegerValue().toString();
                            default -> throw NotRecognised.INSTANCE;
                        };
                    default -> skip(value, JOIN_QUERIES); // must_not, boost, _name...: nothing they hold narrows
                }
            }
            return new Bool(must, filter, should, minimumShouldMatch);
        }

        private List<Node> clauses(JsonToken value, int depth) throws IOException, NotRecognised {
            if (value == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (value == JsonToken.START_OBJECT) {
                return List.of(query(depth + 1));
            }
            expect(value == JsonToken.START_ARRAY);
            List<Node> clauses = new ArrayList<>(4);
            for (JsonToken next = parser.nextToken(); next != JsonToken.END_ARRAY; next = parser.nextToken()) {
                expect(next == JsonToken.START_OBJECT);
                clauses.add(query(depth + 1));
            }
            return clauses;
        }

        private Node range() throws IOException, NotRecognised {
            String field = name(parser.nextFieldName());
            if (field == null) {
                return new Range(null, List.of());
            }
            expect(parser.nextToken() == JsonToken.START_OBJECT);
            List<Param> params = new ArrayList<>(4);
            for (String key = name(parser.nextFieldName()); key != null; key = name(parser.nextFieldName())) {
                JsonToken value = parser.nextToken();
                params.add(
                        switch (value) {
                            case VALUE_STRING -> new Param(key, Kind.STRING, parser.getText());
                            case VALUE_NUMBER_INT ->
                                new Param(
                                        key,
                                        Kind.INTEGER,
                                        parser.getBigIntegerValue().toString());
                            case VALUE_TRUE -> new Param(key, Kind.BOOLEAN, "true");
                            case VALUE_FALSE -> new Param(key, Kind.BOOLEAN, "false");
                            case VALUE_NULL -> new Param(key, Kind.NULL, null);
                            default -> {
                                skip(value, JOIN_QUERIES);
                                yield new Param(key, Kind.OTHER, null);
                            }
                        });
            }
            expect(parser.nextFieldName() == null); // one field per range
            return new Range(field, params);
        }

        private Set<String> runtimeFields(JsonToken value) throws IOException, NotRecognised {
            if (value == JsonToken.VALUE_NULL) {
                return Set.of();
            }
            expect(value == JsonToken.START_OBJECT);
            List<String> names = new ArrayList<>();
            for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                names.add(key);
                parser.nextToken();
                parser.skipChildren();
            }
            return names.isEmpty() ? Set.of() : Set.copyOf(names); // Kibana sends {}: no set to copy
        }

        private String pitId(JsonToken value) throws IOException, NotRecognised {
            if (value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                return null;
            }
            String id = null;
            for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                if (key.equals("id") && token == JsonToken.VALUE_STRING) {
                    id = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
            return id;
        }

        /** Skips the value at {@code first}, refusing to recognise it when any field inside is named in {@code stop}. */
        private void skip(JsonToken first, NameSet stop) throws IOException, NotRecognised {
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return;
            }
            int open = 1;
            while (open > 0) {
                JsonToken token = parser.nextToken();
                expect(token != null);
                switch (token) {
                    case START_OBJECT, START_ARRAY -> open++;
                    case END_OBJECT, END_ARRAY -> open--;
                    case FIELD_NAME -> expect(!stop.contains(parser.currentName()));
                    default -> {
                        // a scalar
                    }
                }
            }
        }

        /** A field name inside the query: join queries return documents the surrounding ranges do not restrict. */
        private static String name(String name) throws NotRecognised {
            expect(name == null || !JOIN_QUERIES.contains(name));
            return name;
        }

        private static void expect(boolean recognised) throws NotRecognised {
            if (!recognised) {
                throw NotRecognised.INSTANCE;
            }
        }
    }
}
