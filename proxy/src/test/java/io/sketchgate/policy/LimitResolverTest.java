package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.IndexPattern;
import io.sketchgate.config.LimitKey;
import io.sketchgate.config.LimitSettings;
import io.sketchgate.config.OnExceed;
import io.sketchgate.config.RoleConfig;
import io.sketchgate.config.RolesConfig;
import io.sketchgate.testing.Limits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitResolverTest {
    static final LimitSettings ANALYST = Limits.everyKey(OnExceed.REJECT);
    static final LimitSettings CLAMP7 = new LimitSettings(
            Optional.of(Duration.ofDays(7)),
            Optional.of(OnExceed.CLAMP),
            Optional.of(false),
            Optional.of(600),
            Optional.of(5),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Duration.ofHours(2)));
    static final LimitSettings OPS = new LimitSettings(
            Optional.of(Duration.ofDays(90)),
            Optional.empty(),
            Optional.empty(),
            Optional.of(30),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Duration.ofSeconds(10)),
            Optional.empty());
    static final LimitSettings WIDE_CLAMP =
            Limits.only(Map.of(LimitKey.MAX_TIME_RANGE, Duration.ofDays(365), LimitKey.ON_EXCEED, OnExceed.CLAMP));

    static final RolesConfig ROLES = roles(
            new RoleConfig("analyst", patterns("weblogs-*", "orders"), ANALYST),
            new RoleConfig("clamp7", patterns("weblogs-*"), CLAMP7),
            new RoleConfig("ops", patterns("metrics-*", "weblogs-2026.*"), OPS),
            new RoleConfig("wide", patterns("metrics-*"), WIDE_CLAMP),
            new RoleConfig("viewer", patterns("*"), LimitSettings.NONE),
            new RoleConfig(
                    "kibana",
                    patterns(".kibana*"),
                    new LimitSettings(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(1000),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty(),
                            Optional.empty())));

    private final LimitResolver resolver = new LimitResolver(ROLES);

    /**
     * Roles and indices separated by {@code ;}. The summary lists each present limit as value@source, where the
     * source is a role name or {@code user} for an override.
     */
    @ParameterizedTest(name = "roles {0} on {1}")
    @CsvSource(delimiter = '|', textBlock = """
            analyst        | weblogs-2026.01         | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | orders                  | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | metrics-2026            | -       | -
            analyst        | orders-archive          | -       | -
            analyst        | weblogs                 | -       | -
            analyst        | weblogs-*               | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | web*                    | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | *                       | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | _all                    | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        |                         | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | metrics-*;-weblogs-old  | -       | -
            analyst        | *;-weblogs-*            | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | -orders                 | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | remote:weblogs-1        | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | *:orders                | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | <weblogs-{now/d}>       | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | <metrics-{now/d{yyyy.MM.dd}}> | -   | -
            analyst;clamp7 | weblogs-1               | analyst;clamp7 | range=7d@clamp7 exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            clamp7;analyst | weblogs-1               | clamp7;analyst | range=7d@clamp7 exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst;clamp7 | orders                  | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            clamp7         | weblogs-1               | clamp7  | range=7d@clamp7 exceed=CLAMP@clamp7 rpm=600@clamp7 conc=5@clamp7 budget=2h@clamp7
            clamp7         | orders                  | -       | -
            clamp7;ops     | weblogs-2026.02         | clamp7;ops | range=7d@clamp7 exceed=REJECT@ops rpm=30@ops conc=5@clamp7 exec=10s@ops budget=2h@clamp7
            clamp7;ops     | weblogs-2025.12         | clamp7  | range=7d@clamp7 exceed=CLAMP@clamp7 rpm=600@clamp7 conc=5@clamp7 budget=2h@clamp7
            clamp7;ops     | weblogs-2025.12;metrics-a | clamp7;ops | range=7d@clamp7 exceed=REJECT@ops rpm=30@ops conc=5@clamp7 exec=10s@ops budget=2h@clamp7
            ops;wide       | metrics-1               | ops;wide | range=90d@ops exceed=REJECT@ops rpm=30@ops exec=10s@ops
            wide           | metrics-1               | wide    | range=365d@wide exceed=CLAMP@wide
            viewer         | anything                | viewer  | -
            viewer;analyst | orders                  | viewer;analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst;kibana | .kibana_8.15.0          | kibana  | rpm=1000@kibana
            analyst;kibana | *                       | analyst;kibana | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst;analyst | orders                 | analyst | range=31d@analyst exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            ''             | weblogs-1               | -       | -
            """)
    void strictestApplicableLimit_perKey(String roles, String indices, String governing, String expected) {
        EffectiveLimits limits = applied(resolver.resolve("alice", list(roles), LimitSettings.NONE, list(indices)));

        assertThat(String.join(";", limits.governingRoles())).isEqualTo(governing.equals("-") ? "" : governing);
        assertThat(summary(limits)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "overrides {2} with roles {0} on {1}")
    @CsvSource(delimiter = '|', textBlock = """
            analyst        | orders    | range=90d                 | range=90d@user exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst;clamp7 | weblogs-1 | range=90d                 | range=90d@user exceed=REJECT@analyst filter=true@analyst rpm=120@analyst conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | orders    | rpm=10 exceed=clamp       | range=31d@analyst exceed=CLAMP@user filter=true@analyst rpm=10@user conc=2@analyst queue=10@analyst qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            analyst        | orders    | filter=false conc=8 queue=0 | range=31d@analyst exceed=REJECT@analyst filter=false@user rpm=120@analyst conc=8@user queue=0@user qtime=5s@analyst exec=1m@analyst budget=30m@analyst
            viewer         | orders    | range=1d budget=1m        | range=1d@user exceed=REJECT@user budget=1m@user
            analyst        | metrics-1 | range=1d                  | -
            """)
    void userOverride_replacesTheRoleValue_onGovernedRequestsOnly(
            String roles, String indices, String overrides, String expected) {
        EffectiveLimits limits = applied(resolver.resolve("alice", list(roles), overrides(overrides), list(indices)));

        assertThat(summary(limits)).isEqualTo(expected);
    }

    @Test
    void overrideSource_namesTheUser() {
        EffectiveLimits limits =
                applied(resolver.resolve("alice", List.of("analyst"), overrides("rpm=10"), List.of("orders")));

        assertThat(limits.requestsPerMinute().orElseThrow().describe())
                .isEqualTo("requests_per_minute set for user alice");
        assertThat(limits.maxConcurrent().orElseThrow().describe()).isEqualTo("max_concurrent of role analyst");
    }

    @Test
    void unknownRole_isRefusedWith403_namingTheRole_evenWhenItsIndicesAreNotTouched() {
        LimitResolver.Resolution resolution =
                resolver.resolve("alice", List.of("analyst", "anlyst"), LimitSettings.NONE, List.of("metrics-1"));

        assertThat(resolution)
                .isEqualTo(new LimitResolver.Refused(new Rejection(
                        403,
                        "sketchgate_unknown_role_exception",
                        "User alice has the role anlyst, which Sketchgate does not know, so Sketchgate cannot tell which limits"
                                + " apply. An administrator must define the role anlyst under roles: in the Sketchgate configuration.",
                        Optional.empty())));
    }

    @Test
    void ungovernedRequest_hasNoLimits() {
        EffectiveLimits limits =
                applied(resolver.resolve("alice", List.of("analyst"), LimitSettings.NONE, List.of("metrics-1")));

        assertThat(limits).isEqualTo(EffectiveLimits.UNGOVERNED);
        assertThat(limits.isGoverned()).isFalse();
        assertThat(limits.timeFilterRequired()).isFalse();
    }

    static EffectiveLimits applied(LimitResolver.Resolution resolution) {
        assertThat(resolution).isInstanceOf(LimitResolver.Applied.class);
        return ((LimitResolver.Applied) resolution).limits();
    }

    static String summary(EffectiveLimits l) {
        List<String> parts = new ArrayList<>();
        l.maxTimeRange().ifPresent(x -> parts.add("range=" + days(x.value()) + "@" + source(x)));
        l.onExceed().ifPresent(x -> parts.add("exceed=" + x.value() + "@" + source(x)));
        l.requireTimeFilter().ifPresent(x -> parts.add("filter=" + x.value() + "@" + source(x)));
        l.requestsPerMinute().ifPresent(x -> parts.add("rpm=" + x.value() + "@" + source(x)));
        l.maxConcurrent().ifPresent(x -> parts.add("conc=" + x.value() + "@" + source(x)));
        l.maxQueue().ifPresent(x -> parts.add("queue=" + x.value() + "@" + source(x)));
        l.maxQueueTime().ifPresent(x -> parts.add("qtime=" + short_(x.value()) + "@" + source(x)));
        l.maxExecutionTime().ifPresent(x -> parts.add("exec=" + short_(x.value()) + "@" + source(x)));
        l.dailyEsTimeBudget().ifPresent(x -> parts.add("budget=" + short_(x.value()) + "@" + source(x)));
        return parts.isEmpty() ? "-" : String.join(" ", parts);
    }

    private static String source(Limit<?> limit) {
        return limit.source().kind() == LimitSource.Kind.ROLE ? limit.source().name() : "user";
    }

    private static String days(Duration d) {
        return d.toDays() + "d";
    }

    private static String short_(Duration d) {
        if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
            return d.toHours() + "h";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
    }

    /** {@code range=90d rpm=10 exceed=clamp filter=false conc=8 queue=0 budget=1m}. */
    static LimitSettings overrides(String text) {
        Map<String, String> v = new LinkedHashMap<>();
        for (String part : text.trim().split("\\s+")) {
            String[] kv = part.split("=");
            v.put(kv[0], kv[1]);
        }
        return new LimitSettings(
                Optional.ofNullable(v.get("range")).map(s -> Duration.ofDays(Long.parseLong(s.replace("d", "")))),
                Optional.ofNullable(v.get("exceed")).map(s -> OnExceed.valueOf(s.toUpperCase())),
                Optional.ofNullable(v.get("filter")).map(Boolean::parseBoolean),
                Optional.ofNullable(v.get("rpm")).map(Integer::parseInt),
                Optional.ofNullable(v.get("conc")).map(Integer::parseInt),
                Optional.ofNullable(v.get("queue")).map(Integer::parseInt),
                Optional.empty(),
                Optional.empty(),
                Optional.ofNullable(v.get("budget")).map(s -> Duration.ofMinutes(Long.parseLong(s.replace("m", "")))));
    }

    @Test
    void resolve_sameQuestionAgain_isAnsweredFromMemory() {
        LimitResolver resolver = new LimitResolver(ROLES);
        List<String> indices = new ArrayList<>(List.of("weblogs-2026.05"));

        LimitResolver.Resolution first = resolver.resolve("ana", List.of("analyst"), LimitSettings.NONE, indices);
        indices.set(0, "metrics-1"); // the caller's list may change afterwards: the memory keeps its own copy
        LimitResolver.Resolution again =
                resolver.resolve("ana", List.of("analyst"), LimitSettings.NONE, List.of("weblogs-2026.05"));
        LimitResolver.Resolution otherIndex =
                resolver.resolve("ana", List.of("analyst"), LimitSettings.NONE, List.of("metrics-1"));

        assertThat(again).isSameAs(first);
        assertThat(otherIndex).isEqualTo(new LimitResolver.Applied(EffectiveLimits.UNGOVERNED));
    }

    @Test
    void resolve_otherUserRolesOrOverrides_areNotAnsweredFromAnotherEntry() {
        LimitResolver resolver = new LimitResolver(ROLES);
        List<String> weblogs = List.of("weblogs-1");
        resolver.resolve("ana", List.of("analyst"), LimitSettings.NONE, weblogs);

        LimitResolver.Resolution clamp = resolver.resolve("ana", List.of("clamp7"), LimitSettings.NONE, weblogs);
        LimitResolver.Resolution overridden = resolver.resolve("ana", List.of("analyst"), CLAMP7, weblogs);
        LimitResolver.Resolution unknown = resolver.resolve("bo", List.of("nobody"), LimitSettings.NONE, weblogs);

        assertThat(maxDays(clamp)).isEqualTo(7);
        assertThat(maxDays(overridden)).isEqualTo(7);
        assertThat(unknown).isInstanceOf(LimitResolver.Refused.class);
    }

    @Test
    void runTimeChangeOfARoleOrOverride_takesEffectOnTheNextRequest() {
        LimitRules file = new LimitRules(ROLES, Map.of(), Map.of(), Map.of(), new LimitResolver(ROLES));
        List<String> weblogs = List.of("weblogs-1");
        long before = maxDays(file.resolver().resolve("ana", List.of("analyst"), file.overrides("ana"), weblogs));

        LimitRules roleChanged = LimitRules.overlay(
                file, Map.of("analyst", new RoleConfig("analyst", patterns("weblogs-*"), CLAMP7)), Map.of());
        long afterRoleChange = maxDays(
                roleChanged.resolver().resolve("ana", List.of("analyst"), roleChanged.overrides("ana"), weblogs));
        LimitRules overridden = LimitRules.overlay(roleChanged, Map.of(), Map.of("ana", OPS));
        long afterOverride =
                maxDays(overridden.resolver().resolve("ana", List.of("analyst"), overridden.overrides("ana"), weblogs));

        assertThat(before).isEqualTo(ANALYST.maxTimeRange().orElseThrow().toDays());
        assertThat(afterRoleChange).isEqualTo(7);
        assertThat(afterOverride).isEqualTo(90);
    }

    private static long maxDays(LimitResolver.Resolution resolution) {
        return ((LimitResolver.Applied) resolution)
                .limits()
                .maxTimeRange()
                .orElseThrow()
                .value()
                .toDays();
    }

    static RolesConfig roles(RoleConfig... roles) {
        Map<String, RoleConfig> map = new LinkedHashMap<>();
        for (RoleConfig role : roles) {
            map.put(role.name(), role);
        }
        return new RolesConfig(map);
    }

    static List<IndexPattern> patterns(String... texts) {
        return Arrays.stream(texts).map(IndexPattern::of).toList();
    }

    private static List<String> list(String text) {
        return text == null || text.isBlank() ? List.of() : List.of(text.split(";"));
    }
}
