package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.policy.EffectiveLimits;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The limit set has one source, {@link LimitKey}: the two records that hold limits follow it exactly. */
class LimitKeyTest {
    private static final List<String> KEYS =
            Arrays.stream(LimitKey.values()).map(LimitKey::component).toList();

    @Test
    void aRolesAndAnOverridesSettings_holdExactlyTheLimitKeys_inOrder() {
        assertThat(components(LimitSettings.class)).isEqualTo(KEYS);
    }

    @Test
    void theLimitsInForceForARequest_holdExactlyTheLimitKeys_inOrder() {
        List<String> limits = components(EffectiveLimits.class).stream()
                .filter(name -> !name.equals("governingRoles"))
                .toList();
        assertThat(limits).isEqualTo(KEYS);
    }

    @Test
    void aLimitsFileKey_isItsComponentInSnakeCase() {
        assertThat(LimitKey.DAILY_ES_TIME_BUDGET.key()).isEqualTo("daily_es_time_budget");
        assertThat(LimitKey.DAILY_ES_TIME_BUDGET.component()).isEqualTo("dailyEsTimeBudget");
    }

    private static List<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .toList();
    }
}
