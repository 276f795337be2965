package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** What a {@link UvQuestion} must satisfy before anything is read; each problem names the fix. */
final class QuestionChecks {
    static final int MAX_SPLIT = 2;

    private QuestionChecks() {}

    static void check(UvQuestion question) {
        UniqueCountDefinition definition = question.definition();
        List<String> problems = new ArrayList<>();
        if (!question.from().isBefore(question.to())) {
            problems.add("from " + question.from() + " must be before to " + question.to());
        }
        for (String dimension : question.split()) {
            if (!definition.dimensions().contains(dimension)) {
                problems.add(unknownDimension(definition, "split", dimension));
            }
        }
        if (question.split().size() > MAX_SPLIT) {
            problems.add("split names " + question.split().size() + " dimensions " + question.split() + "; at most "
                    + MAX_SPLIT + " are allowed");
        }
        if (new HashSet<>(question.split()).size() != question.split().size()) {
            problems.add("split names a dimension twice: " + question.split());
        }
        question.filters().forEach((dimension, values) -> {
            if (!definition.dimensions().contains(dimension)) {
                problems.add(unknownDimension(definition, "filter", dimension));
            }
            if (values.isEmpty()) {
                problems.add("filter." + dimension + " has no values; name at least one or leave it out");
            }
        });
        var previousEnd = question.from();
        for (UvQuestion.TimeSlice slice : question.slices()) {
            if (slice.start().isBefore(previousEnd) || slice.end().isAfter(question.to())) {
                problems.add("slice " + slice.start() + " .. " + slice.end() + " is not sorted, overlaps another or"
                        + " lies outside " + question.from() + " .. " + question.to());
                break;
            }
            previousEnd = slice.end();
        }
        if (!problems.isEmpty()) {
            throw new UniqueCountException(problems);
        }
    }

    static String unknownDimension(UniqueCountDefinition definition, String where, String dimension) {
        return where + ": \"" + dimension + "\" is not a dimension of \"" + definition.name()
                + "\"; its dimensions are " + definition.dimensions();
    }
}
