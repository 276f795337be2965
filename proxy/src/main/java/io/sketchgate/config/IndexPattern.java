package io.sketchgate.config;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An index name or a pattern with {@code *} wildcards, as Elasticsearch expands them ({@code *} matches any
 * sequence of characters, including none; there is no other wildcard).
 *
 * <p>Two patterns <em>overlap</em> when some index name matches both. For {@code *}-only patterns this is
 * decidable exactly: it is reachability in the product of the two patterns' automata, where a {@code *}
 * state loops on any character. {@link #overlaps} walks that product as an (n+1)×(m+1) table of position
 * pairs, O(n·m) time for patterns of length n and m (index names are at most 255 bytes).
 *
 * <p>{@link #covers} is a sufficient test for "every name the other pattern matches, this one matches too":
 * the other pattern's {@code *} is treated as a character only this pattern's {@code *} can absorb. It may
 * answer false for some pairs where containment holds ({@code a*a*} over {@code a*}); callers treat false as
 * "not known to cover", which is the safe direction.
 */
public final class IndexPattern {
    /** The syntax of patterns in the config file; request expressions are taken as they come. */
    private static final Pattern CONFIG_SYNTAX = Pattern.compile("[a-z0-9.*][a-z0-9._+*-]*");

    private static final int MAX_LENGTH = 255;
    static final String SYNTAX_HINT = "must be an index name or pattern like weblogs-*: lower-case letters, digits,"
            + " . _ - + and * as the wildcard, not starting with _ - or +";

    private final String text;

    private IndexPattern(String text) {
        this.text = text;
    }

    /** A pattern or name from a request, unvalidated: any characters other than {@code *} are literals. */
    public static IndexPattern of(String text) {
        return new IndexPattern(Objects.requireNonNull(text, "text"));
    }

    /** The problem with {@code text} as a pattern in the config file, if any. */
    static Optional<String> configProblem(String text) {
        if (text.length() > MAX_LENGTH) {
            return Optional.of("must be at most " + MAX_LENGTH + " characters long");
        }
        if (!CONFIG_SYNTAX.matcher(text).matches() || text.equals(".") || text.equals("..")) {
            return Optional.of(SYNTAX_HINT);
        }
        return Optional.empty();
    }

    public String text() {
        return text;
    }

    public boolean isWildcard() {
        return text.indexOf('*') >= 0;
    }

    /** The number of literal characters: the more, the more specific ({@code weblogs-*} beats {@code *}). */
    public int specificity() {
        int literals = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '*') {
                literals++;
            }
        }
        return literals;
    }

    /** Whether the concrete index {@code name} matches this pattern. */
    public boolean matches(String name) {
        return name.indexOf('*') < 0 && covers(new IndexPattern(name));
    }

    /** Whether some index name matches both patterns. */
    public boolean overlaps(IndexPattern other) {
        String a = text;
        String b = other.text;
        int n = a.length();
        int m = b.length();
        boolean[][] reach = new boolean[n + 1][m + 1];
        reach[0][0] = true;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                if (!reach[i][j]) {
                    continue;
                }
                boolean aStar = i < n && a.charAt(i) == '*';
                boolean bStar = j < m && b.charAt(j) == '*';
                if (aStar) {
                    reach[i + 1][j] = true; // a's * matches nothing more
                    if (j < m && !bStar) {
                        reach[i][j + 1] = true; // a's * absorbs b's literal
                    }
                }
                if (bStar) {
                    reach[i][j + 1] = true;
                    if (i < n && !aStar) {
                        reach[i + 1][j] = true;
                    }
                }
                if (i < n && j < m && !aStar && !bStar && a.charAt(i) == b.charAt(j)) {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
        return reach[n][m];
    }

    /** Whether every name {@code other} matches is known to match this pattern too (see the class comment). */
    public boolean covers(IndexPattern other) {
        String q = text;
        String e = other.text;
        int n = q.length();
        int m = e.length();
        boolean[][] reach = new boolean[n + 1][m + 1];
        reach[0][0] = true;
        for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
                if (!reach[i][j] || i == n) {
                    continue;
                }
                if (q.charAt(i) == '*') {
                    reach[i + 1][j] = true;
                    if (j < m) {
                        reach[i][j + 1] = true;
                    }
                } else if (j < m && e.charAt(j) != '*' && q.charAt(i) == e.charAt(j)) {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
        return reach[n][m];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
