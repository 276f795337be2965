package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.es.EsJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a definition against the source's mapping ({@code _field_caps}) before a job reads anything: every
 * field exists, the time field is a date, the unique field is keyword or numeric, dimensions are keywords, and
 * each has one type across the source's indices.
 */
public final class SourceMappingCheck {
    private static final Set<String> TIME_TYPES = Set.of("date", "date_nanos");
    private static final Set<String> UNIQUE_TYPES =
            Set.of("keyword", "constant_keyword", "long", "integer", "short", "byte", "unsigned_long", "double");
    private static final Set<String> DIMENSION_TYPES = Set.of("keyword", "constant_keyword");

    private SourceMappingCheck() {}

    /**
     * Every problem, each {@code unique_counts.NAME.KEY: reason} (none when the mapping fits): for the admin API,
     * which checks a definition before storing it.
     */
    public static List<String> problems(EsJson es, UniqueCountDefinition definition) throws IOException {
        try {
            check(es, definition);
            return List.of();
        } catch (UniqueCountException e) {
            return e.problems();
        }
    }

    /** @throws UniqueCountException listing every problem */
    static void check(EsJson es, UniqueCountDefinition definition) throws IOException {
        List<String> fields = new ArrayList<>();
        fields.add(definition.timeField());
        fields.add(definition.uniqueField());
        fields.addAll(definition.dimensions());
        String prefix = "unique_counts." + definition.name() + ".";
        EsJson.Answer answer = es.call(
                "GET", "/" + definition.source() + "/_field_caps", null, Map.of("fields", String.join(",", fields)));
        if (answer.status() == 404
                || (answer.ok()
                        && answer.body().path("indices").isArray()
                        && answer.body().path("indices").isEmpty())) {
            throw new UniqueCountException(List.of(prefix + "source: \"" + definition.source()
                    + "\" matches no index; load the data first or fix the pattern"));
        }
        if (!answer.ok()) {
            throw new IOException("cannot read the mapping of " + definition.source() + ": " + answer.describe());
        }
        JsonNode caps = answer.body().path("fields");
        List<String> problems = new ArrayList<>();
        check(
                caps,
                definition,
                prefix + "time_field",
                definition.timeField(),
                TIME_TYPES,
                "it must be a date or date_nanos field; name the event time field",
                problems);
        check(
                caps,
                definition,
                prefix + "unique_field",
                definition.uniqueField(),
                UNIQUE_TYPES,
                "it must be a keyword or numeric (long, integer, short, byte, unsigned_long, double) field;"
                        + " use its keyword sub-field or map it as keyword",
                problems);
        for (String dimension : definition.dimensions()) {
            check(
                    caps,
                    definition,
                    prefix + "dimensions",
                    dimension,
                    DIMENSION_TYPES,
                    "dimensions must be keyword fields; use its keyword sub-field, map it as keyword,"
                            + " or remove it from dimensions",
                    problems);
        }
        if (!problems.isEmpty()) {
            throw new UniqueCountException(problems);
        }
    }

    private static void check(
            JsonNode caps,
            UniqueCountDefinition definition,
            String key,
            String field,
            Set<String> allowed,
            String fix,
            List<String> problems) {
        JsonNode types = caps.path(field);
        List<String> found = new ArrayList<>();
        for (Iterator<String> names = types.fieldNames(); names.hasNext(); ) {
            String type = names.next();
            if (!type.equals("unmapped")) {
                found.add(type);
            }
        }
        if (found.isEmpty()) {
            problems.add(key + ": \"" + field + "\" is not a field of \"" + definition.source()
                    + "\"; check the spelling against the mapping or add the field");
        } else if (found.size() > 1) {
            problems.add(key + ": \"" + field + "\" has the types " + found + " in different indices of \""
                    + definition.source() + "\"; give it one type in every index");
        } else if (!allowed.contains(found.get(0))) {
            problems.add(key + ": \"" + field + "\" is a " + found.get(0) + " field; " + fix);
        }
    }
}
