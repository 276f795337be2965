package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.IndexTimeFieldsConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimeFieldsTest {
    private static final TimeFields FIELDS = new TimeFields(new IndexTimeFieldsConfig(fields(
            "*", "event.created",
            "weblogs-*", "@timestamp",
            "weblogs-old-*", "ts",
            "orders", "created_at")));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "weblogs-2026.01, @timestamp",
        "weblogs-old-2019, ts",
        "orders, created_at",
        "orders-archive, event.created",
        "metrics, event.created",
    })
    void concreteIndex_getsTheMostSpecificMatchingPattern(String index, String field) {
        assertThat(FIELDS.fieldOf(index)).contains(field);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            weblogs-2026.*    | @timestamp
            weblogs-*         | ts;@timestamp
            weblogs-old-*     | ts
            orders            | created_at
            remote:orders     | created_at
            *                 | ts;@timestamp;created_at;event.created
            _all              | ts;@timestamp;created_at;event.created
            metrics-*         | event.created
            """)
    void expression_mayNeedEveryFieldItsIndicesCanHave(String expression, String fields) {
        assertThat(FIELDS.fieldsOf(expression)).containsExactlyElementsOf(List.of(fields.split(";")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"weblogs-1", "weblogs-*", "anything"})
    void noConfiguredFields_meansNoTimeField(String index) {
        TimeFields none = new TimeFields(IndexTimeFieldsConfig.NONE);

        assertThat(none.fieldOf(index)).isEmpty();
        assertThat(none.fieldsOf(index)).isEqualTo(Set.of());
    }

    private static Map<IndexPattern, String> fields(String... patternThenField) {
        Map<IndexPattern, String> map = new LinkedHashMap<>();
        for (int i = 0; i < patternThenField.length; i += 2) {
            map.put(IndexPattern.of(patternThenField[i]), patternThenField[i + 1]);
        }
        return map;
    }

    @Test
    void anExpressionAskedAgain_getsTheRememberedAnswer_inTheSameOrder_unmodifiable() {
        TimeFields fields =
                new TimeFields(new IndexTimeFieldsConfig(fields("*", "event.created", "weblogs-*", "@timestamp")));

        Set<String> first = fields.fieldsOf("weblogs-*");

        assertThat(fields.fieldsOf("weblogs-*")).isSameAs(first).containsExactly("@timestamp");
        assertThat(fields.fieldsOf("*")).containsExactly("@timestamp", "event.created");
        assertThat(first).isUnmodifiable();
    }
}
