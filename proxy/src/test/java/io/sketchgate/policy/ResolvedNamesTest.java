package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.esapi.ResolvedIndices;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolvedNamesTest {
    private final ResolvedNames names = new ResolvedNames();

    private static ResolvedIndices resolved(String index, String alias) {
        return new ResolvedIndices(
                List.of(new ResolvedIndices.Index(index, List.of(alias), List.of("open"), null)),
                Map.of(alias, List.of(index)),
                Map.of());
    }

    @Test
    void of_isTheResolutionsNames_inTheirOrder() {
        assertThat(names.of(resolved("logs-web", "logs"))).containsExactly("logs", "logs-web");
    }

    @Test
    void of_theSameResolution_isWorkedOutOnce() {
        ResolvedIndices logs = resolved("logs-web", "logs");

        assertThat(names.of(logs)).isSameAs(names.of(logs));
    }

    @Test
    void of_aRefreshedResolution_hasItsOwnNames() {
        assertThat(names.of(resolved("logs-web", "logs"))).containsExactly("logs", "logs-web");

        assertThat(names.of(resolved("logs-app", "logs"))).containsExactly("logs", "logs-app");
    }
}
