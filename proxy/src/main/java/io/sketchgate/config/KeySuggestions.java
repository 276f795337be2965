package io.sketchgate.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for unknown keys: the allowed key that matches once case, {@code -} and {@code _} are
 * ignored ({@code maxBody}, {@code max-body}), else the closest within two edits ({@code listners}, {@code prot}), one for keys of four letters or fewer.
 */
final class KeySuggestions {
    private static final int MAX_EDITS = 2;

    private KeySuggestions() {}

    static Optional<String> closest(String unknown, Collection<String> allowed) {
        String wanted = normalize(unknown);
        String best = null;
        int bestDistance = (wanted.length() <= 4 ? 1 : MAX_EDITS) + 1;
        for (String candidate : allowed) {
            int distance = editDistance(wanted, normalize(candidate));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Edit distance counting an adjacent swap as one edit ({@code prot} to {@code port}): optimal string alignment. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
