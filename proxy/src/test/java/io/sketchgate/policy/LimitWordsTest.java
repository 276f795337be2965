package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitWordsTest {
    private final LimitWords words = new LimitWords();

    @Test
    void allowed_namesTheRolesAndEachLimitWithItsSource() {
        assertThat(words.allowed(QuotaFixtures.rate(120)))
                .isEqualTo("allowed, roles [analyst], limits requests_per_minute=120 (role analyst)");
    }

    @Test
    void allowed_ofTheSameLimits_isBuiltOnce() {
        EffectiveLimits limits = QuotaFixtures.budget(Duration.ofMinutes(10));

        assertThat(words.allowed(limits)).isSameAs(words.allowed(limits));
    }

    @Test
    void allowed_ofOtherLimits_namesThoseLimits() {
        assertThat(words.allowed(QuotaFixtures.rate(120))).endsWith("requests_per_minute=120 (role analyst)");

        assertThat(words.allowed(QuotaFixtures.rate(60))).endsWith("requests_per_minute=60 (role analyst)");
    }
}
