package io.sketchgate.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.LimitKey;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import io.sketchgate.policy.LimitResolver;
import io.sketchgate.policy.LimitRules;
import io.sketchgate.testing.Limits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RulesOverlayTest {
    private static final RoleConfig ANALYST = role("analyst", 31);
    private static final LimitRules BASE = new LimitRules(
            new RolesConfig(Map.of("analyst", ANALYST)),
            Map.of(),
            Map.of("analyst", LimitRules.Origin.FILE),
            Map.of(),
            new LimitResolver(new RolesConfig(Map.of("analyst", ANALYST))));

    private final RulesOverlay overlay = new RulesOverlay(BASE);

    @Test
    void emptyStore_keepsTheFileRules() {
        assertThat(overlay.rules(Map.of(), Map.of())).isSameAs(BASE);
    }

    @Test
    void unchangedStore_keepsTheSameRulesAndTheirRememberedResolutions() {
        LimitRules first = overlay.rules(roles(role("ops", 7)), Map.of("erin", days(2)));
        LimitResolver.Resolution resolved = resolveForErin(first);

        // the next poll reads equal (not identical) documents
        LimitRules second = overlay.rules(roles(role("ops", 7)), Map.of("erin", days(2)));

        assertThat(second).isSameAs(first);
        assertThat(resolveForErin(second)).isSameAs(resolved);
    }

    @Test
    void changedRole_buildsNewRules() {
        LimitRules first = overlay.rules(roles(role("ops", 7)), Map.of());

        LimitRules second = overlay.rules(roles(role("ops", 3)), Map.of());

        assertThat(second).isNotSameAs(first);
        assertThat(second.roles().role("ops").orElseThrow().limits().maxTimeRange())
                .contains(Duration.ofDays(3));
    }

    @Test
    void changedOverride_buildsNewRules() {
        LimitRules first = overlay.rules(Map.of(), Map.of("erin", days(2)));

        LimitRules second = overlay.rules(Map.of(), Map.of("erin", days(5)));

        assertThat(second).isNotSameAs(first);
        assertThat(second.overrides("erin").maxTimeRange()).contains(Duration.ofDays(5));
    }

    @Test
    void reorderedRoles_buildNewRules() {
        LimitRules first = overlay.rules(roles(role("a", 1), role("b", 2)), Map.of());

        LimitRules second = overlay.rules(roles(role("b", 2), role("a", 1)), Map.of());

        assertThat(second).isNotSameAs(first);
        assertThat(List.copyOf(second.roles().roles().keySet())).containsExactly("analyst", "b", "a");
    }

    @Test
    void removedEntry_goesBackToTheFileRules() {
        LimitRules changed = overlay.rules(Map.of(), Map.of("erin", days(2)));

        LimitRules back = overlay.rules(Map.of(), Map.of());

        assertThat(back).isNotSameAs(changed);
        assertThat(back.overrides("erin")).isEqualTo(LimitSettings.NONE);
    }

    private static LimitResolver.Resolution resolveForErin(LimitRules rules) {
        return rules.resolver().resolve("erin", List.of("analyst"), rules.overrides("erin"), List.of("logs-*"));
    }

    private static Map<String, RoleConfig> roles(RoleConfig... roles) {
        Map<String, RoleConfig> byName = new LinkedHashMap<>();
        for (RoleConfig role : roles) {
            byName.put(role.name(), role);
        }
        return byName;
    }

    private static RoleConfig role(String name, int days) {
        return new RoleConfig(name, List.of(IndexPattern.of("logs-*")), days(days));
    }

    private static LimitSettings days(int days) {
        return Limits.only(Map.of(LimitKey.MAX_TIME_RANGE, Duration.ofDays(days)));
    }
}
