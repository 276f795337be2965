package io.sketchgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Roles and overrides sent as JSON are read by the file's readers: same values, same problems, same words. */
class LimitDocumentsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void role_fromJson_isTheRoleTheFileWouldDefine() throws Exception {
        LimitDocuments.Read<RoleConfig> read = LimitDocuments.role("analyst", json("""
                {"indices": ["logs-*"], "max_time_range": "31d", "on_exceed": "clamp", "requests_per_minute": 60,
                 "require_time_filter": true}"""));
        assertThat(read.problems()).isEmpty();
        RoleConfig role = read.value().orElseThrow();
        assertThat(role.name()).isEqualTo("analyst");
        assertThat(role.indices()).containsExactly(IndexPattern.of("logs-*"));
        assertThat(role.limits().maxTimeRange()).contains(Duration.ofDays(31));
        assertThat(role.limits().onExceed()).contains(OnExceed.CLAMP);
        assertThat(role.limits().requestsPerMinute()).contains(60);
        assertThat(LimitDocuments.describe(role))
                .containsExactly(
                        Map.entry("indices", List.of("logs-*")),
                        Map.entry("max_time_range", "31d"),
                        Map.entry("on_exceed", "clamp"),
                        Map.entry("require_time_filter", true),
                        Map.entry("requests_per_minute", 60));
    }

    @Test
    void badRole_fromJson_hasExactlyTheProblemsOfTheSameRoleInAFile() throws Exception {
        Path file = Path.of("src/test/resources/config/bad-role-limits.yml");
        List<String> fromFile =
                catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(Map.of()).load(file))
                        .problems()
                        .stream()
                        .map(p -> p.substring(p.indexOf(": ", file.toString().length() + 1) + 2))
                        .toList();

        LimitDocuments.Read<RoleConfig> read = LimitDocuments.role("analyst", json("""
                {"on_exceed": "drop", "requests_per_minute": 0, "max_concurrent": "two", "max_queue": -1,
                 "max_queue_time": 5, "max_execution_time": "1 minute", "daily_es_time_budget": "0s",
                 "require_time_filter": "yes", "max_time_rage": "31d"}"""));

        assertThat(read.valid()).isFalse();
        assertThat(read.problems().stream()
                        .map(p -> p.key() + ": " + p.reason())
                        .toList())
                .hasSize(10)
                .containsExactlyInAnyOrderElementsOf(fromFile);
        assertThat(read.problems())
                .contains(
                        new ConfigProblem(
                                "roles.analyst.requests_per_minute",
                                "must be a whole number from 1 to 1000000, was \"0\"",
                                Optional.of("0")),
                        new ConfigProblem(
                                "roles.analyst.max_time_rage",
                                "unknown key, did you mean \"max_time_range\"? Allowed"
                                        + " keys: indices, max_time_range, on_exceed, require_time_filter, requests_per_minute,"
                                        + " max_concurrent, max_queue, max_queue_time, max_execution_time, daily_es_time_budget",
                                Optional.empty()));
    }

    @Test
    void badRoleName_andNonObjectBody_areProblems() throws Exception {
        assertThat(LimitDocuments.role("bad name", json("{}")).problems())
                .extracting(ConfigProblem::reason)
                .containsExactly(
                        "is not a valid role name; use letters, digits, _, - and . (at most 100, starting with a"
                                + " letter, digit or _)");
        assertThat(LimitDocuments.role("analyst", json("[1]")).problems())
                .extracting(ConfigProblem::reason)
                .containsExactly("must be a map of keys, was a list");
    }

    @Test
    void userOverrides_areAllOptional_andCheckedKeyByKey() throws Exception {
        LimitDocuments.Read<LimitSettings> ok = LimitDocuments.userOverrides("alice", json("{\"max_queue\": 3}"));
        assertThat(ok.value().orElseThrow().maxQueue()).contains(3); // max_concurrent may come from the role
        LimitDocuments.Read<LimitSettings> bad =
                LimitDocuments.userOverrides("alice", json("{\"max_time_range\": \"forever\", \"indices\": [\"x\"]}"));
        assertThat(bad.problems())
                .extracting(ConfigProblem::key)
                .containsExactly("users.alice.overrides.max_time_range", "users.alice.overrides.indices");
    }

    @Test
    void environmentReferences_areNotSubstituted_soABodyCannotReadTheEnvironment() throws Exception {
        LimitDocuments.Read<LimitSettings> read =
                LimitDocuments.userOverrides("alice", json("{\"requests_per_minute\": \"${HOME}\"}"));
        assertThat(read.problems())
                .containsExactly(new ConfigProblem(
                        "users.alice.overrides.requests_per_minute",
                        "must be a whole number from 1 to 1000000, was \"${HOME}\"",
                        Optional.of("${HOME}")));
    }

    private static Object json(String text) throws Exception {
        return JSON.convertValue(JSON.readTree(text), Object.class);
    }
}
