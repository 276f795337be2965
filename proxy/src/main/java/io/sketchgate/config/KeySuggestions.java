package io.sketchgate.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * "Did you mean" for unknown keys: the allowed key that matches once case, {@code -} and {@code _} are
 * ignored ({@code maxBody}, {@code max-body}), else the closest within two edits ({@code listners}), one for keys of four letters or fewer.
 */
final class KeySuggestions {
    private static final int MAX_EDITS = 2;

    private KeySuggestions() {
    }

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

    /** Levenshtein distance, two rows. */
    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
