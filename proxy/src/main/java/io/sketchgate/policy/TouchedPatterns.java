package io.sketchgate.policy;

import io.sketchgate.config.IndexPattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Index expressions of a request ({@code weblogs-*}, {@code _all}, {@code -weblogs-old}, {@code remote:logs},
 * {@code <logs-{now/d}>}) to the patterns they may touch. Every rule errs towards touching more:
 * <ul>
 *   <li>no expression, {@code _all} and {@code *} touch everything, as in Elasticsearch;</li>
 *   <li>an exclusion ({@code -name}) removes nothing: what a wildcard leaves after it is not known here;</li>
 *   <li>{@code cluster:index} is matched by its index part: the remote index is governed like a local one;</li>
 *   <li>a date-math name has each {@code {...}} replaced by {@code *}, so it matches any date.</li>
 * </ul>
 * Names are expected URL-decoded and split at commas; aliases are matched by their own name unless the caller
 * passes the indices they resolve to as well.
 */
final class TouchedPatterns {
    static final IndexPattern EVERYTHING = IndexPattern.of("*");

    private TouchedPatterns() {}

    static List<IndexPattern> touched(Collection<String> expressions) {
        List<IndexPattern> patterns = new ArrayList<>(expressions.size());
        for (String raw : expressions) {
            String expression = raw.strip();
            if (expression.startsWith("-") && !expression.equals("-")) {
                continue;
            }
            if (expression.isEmpty() || expression.equals("_all")) {
                return List.of(EVERYTHING);
            }
            int colon = expression.indexOf(':');
            if (colon >= 0 && !expression.startsWith("<")) {
                expression = expression.substring(colon + 1);
            }
            if (expression.startsWith("<") && expression.endsWith(">") && expression.length() >= 2) {
                expression = dateMathAsWildcard(expression.substring(1, expression.length() - 1));
            }
            patterns.add(IndexPattern.of(expression));
        }
        return patterns.isEmpty() ? List.of(EVERYTHING) : patterns;
    }

    /** {@code logs-{now/d{yyyy.MM.dd}}} to {@code logs-*}; braces nest one level for the date format. */
    private static String dateMathAsWildcard(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int depth = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length() && depth == 0) {
                out.append(body.charAt(++i));
            } else if (c == '{') {
                if (depth++ == 0) {
                    out.append('*');
                }
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
