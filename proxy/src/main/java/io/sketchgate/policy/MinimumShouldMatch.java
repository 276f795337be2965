package io.sketchgate.policy;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Elasticsearch's {@code minimum_should_match} arithmetic ({@code Queries.calculateMinShouldMatch}): integers,
 * negative integers, percentages, and conditional specs such as {@code "3<90%"} or {@code "2<-25% 9<-3"}.
 */
final class MinimumShouldMatch {
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern SPACES_AROUND_LESS_THAN = Pattern.compile("\\s*<\\s*");

    private MinimumShouldMatch() {}

    /** @return the number of should clauses that must match, or empty when the spec is malformed */
    static OptionalInt of(int optionalClauses, String spec) {
        try {
            return OptionalInt.of(calculate(optionalClauses, spec.trim()));
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static int calculate(int optionalClauses, String spec) {
        int result = optionalClauses;
        if (spec.contains("<")) {
            String normalized = SPACES_AROUND_LESS_THAN.matcher(spec).replaceAll("<");
            for (String conditional : SPACES.split(normalized)) {
                String[] parts = conditional.split("<", 2);
                int upperBound = Integer.parseInt(parts[0]);
                if (optionalClauses <= upperBound) {
                    return result;
                }
                result = calculate(optionalClauses, parts[1]);
            }
            return result;
        }
        if (spec.contains("%")) {
            int percent = Integer.parseInt(spec.substring(0, spec.length() - 1));
            float calc = (result * percent) * (1 / 100f);
            result = calc < 0 ? result + (int) calc : (int) calc;
        } else {
            int calc = Integer.parseInt(spec);
            result = calc < 0 ? result + calc : calc;
        }
        return Math.max(result, 0);
    }
}
