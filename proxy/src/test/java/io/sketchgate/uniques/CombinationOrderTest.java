package io.sketchgate.uniques;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CombinationOrderTest {

    /** Rows came out in the order of their values joined by NUL; comparing value by value must keep that order. */
    @Test
    void combinations_sortValueByValue_asTheirValuesJoinedByNul() {
        SplittableRandom random = new SplittableRandom(5);
        String letters = "aAb-0é";
        for (int trial = 0; trial < 20_000; trial++) {
            int size = 1 + random.nextInt(3);
            List<String> a = combination(random, letters, size);
            List<String> b = combination(random, letters, size);

            int joined = Integer.signum(String.join("\u0000", a).compareTo(String.join("\u0000", b)));
            assertThat(Integer.signum(UvQueryEngine.compareCombinations(a, b)))
                    .as("%s vs %s", a, b)
                    .isEqualTo(joined);
        }
    }

    private static List<String> combination(SplittableRandom random, String letters, int size) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(4); n > 0; n--) {
                value.append(letters.charAt(random.nextInt(letters.length())));
            }
            values.add(value.toString());
        }
        return values;
    }
}
