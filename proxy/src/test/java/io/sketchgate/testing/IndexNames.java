package io.sketchgate.testing;

import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** Index names no other test class (or earlier run against the same node) uses. */
public final class IndexNames {

    private IndexNames() {}

    /** {@code searchpassthroughtest-3f9a1c07}: the class's simple name lowercased, and a random suffix. */
    public static String unique(Class<?> testClass) {
        return unique(testClass.getSimpleName());
    }

    /** {@code <prefix lowercased>-<8 random hex digits>}; characters indices may not contain become '-'. */
    public static String unique(String prefix) {
        String base =
                prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "-").replaceAll("^[-_.+]+", "");
        return base + "-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }
}
