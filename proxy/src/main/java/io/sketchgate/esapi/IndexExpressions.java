package io.sketchgate.esapi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses a comma-separated index expression as Elasticsearch does for a path's {@code {index}} or an
 * {@code _msearch} header's {@code index}:
 * <ul>
 *   <li>empty items are dropped; nothing left, {@code _all} alone or {@code *} alone mean every index;
 *   <li>{@code <...>} is date math, evaluated against the injected clock;
 *   <li>{@code -name} is an exclusion only after a wildcard item (before one, ES looks for an index literally
 *       named {@code -name}, and fails);
 *   <li>{@code cluster:index} names a remote cluster; a date math item is local even if its format has a
 *       {@code :} (ES only treats the prefix as a cluster when a configured remote matches it).
 * </ul>
 * Names keep their case: ES index names are lower case and an upper-case name matches nothing.
 */
public final class IndexExpressions {
    private IndexExpressions() {}

    public static IndexTargets parse(String commaSeparated, Instant now) {
        List<String> items = new ArrayList<>(4);
        for (int start = 0; start < commaSeparated.length(); ) { // items read in place: no split array
            int comma = commaSeparated.indexOf(',', start);
            int end = comma < 0 ? commaSeparated.length() : comma;
            if (end > start) {
                items.add(commaSeparated.substring(start, end));
            }
            start = end + 1;
        }
        return listed(items, now);
    }

    public static IndexTargets parse(List<String> items, Instant now) {
        List<String> nonEmpty = new ArrayList<>(items.size());
        for (String item : items) {
            if (!item.isEmpty()) {
                nonEmpty.add(item);
            }
        }
        return listed(nonEmpty, now);
    }

    private static IndexTargets listed(List<String> nonEmpty, Instant now) {
        if (nonEmpty.isEmpty()
                || (nonEmpty.size() == 1
                        && (nonEmpty.get(0).equals("_all") || nonEmpty.get(0).equals("*")))) {
            return IndexTargets.all();
        }
        List<IndexExpression> expressions = new ArrayList<>(nonEmpty.size());
        boolean wildcardSeen = false;
        for (String item : nonEmpty) {
            boolean exclusion = wildcardSeen && item.startsWith("-") && item.length() > 1;
            String rest = exclusion ? item.substring(1) : item;
            Optional<String> cluster = Optional.empty();
            int colon = rest.indexOf(':');
            if (colon > 0 && !rest.startsWith("<")) {
                cluster = Optional.of(rest.substring(0, colon));
                rest = rest.substring(colon + 1);
            }
            String name = DateMathIndexNames.evaluate(rest, now);
            IndexExpression expression = new IndexExpression(item, cluster, name, exclusion);
            wildcardSeen |= expression.isWildcard() && !exclusion;
            expressions.add(expression);
        }
        return IndexTargets.listed(expressions);
    }
}
