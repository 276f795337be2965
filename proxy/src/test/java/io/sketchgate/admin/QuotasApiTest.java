package io.sketchgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.testing.Timestamps;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quotas and audit API against a real Elasticsearch: round trips, validation, 403, lost updates, a change
 * taking effect on proxied requests, persistence across a restart, propagation to another instance, audit entries,
 * and stored documents that are invalid.
 */
@RealElasticsearch
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotasApiTest {
    private static final String SEVEN_DAYS = "{\"size\":0,\"query\":{\"range\":{\"@timestamp\":"
            + "{\"gte\":\"2024-05-01T00:00:00Z\",\"lt\":\"2024-05-08T00:00:00Z\"}}}}";

    private final String prefix = IndexNames.unique("logs-quota");
    private final String configIndex = IndexNames.unique("sg-config");
    private final String auditIndex = IndexNames.unique("sg-audit");
    private final List<ProxyUnderTest> started = new ArrayList<>();
    private Path config;
    private TestElasticsearch es;
    private ApiClient proxy;

    @BeforeAll
    void start(TestElasticsearch es, @TempDir Path dir) throws Exception {
        this.es = es;
        String index = prefix + "-2024";
        es.requests().createIndex(index, Timestamps.MAPPING);
        es.requests()
                .bulkIndex(
                        index, Timestamps.every(Duration.ofHours(1), Instant.parse("2024-04-30T00:00:00Z"), 24 * 10));
        config = config(dir, es.baseUri());
        proxy = start(config).client();
    }

    /** Users: root is the admin, everyone else an analyst (31 days on logs-quota-*). */
    private Path config(Path dir, URI elasticsearch) throws Exception {
        ProxyUnderTest.Builder builder =
                ProxyUnderTest.forElasticsearch(elasticsearch).user("root", "sketchgate_admin");
        for (String user : List.of("alice", "bob", "carol", "dave", "erin", "fred", "gina")) {
            builder.user(user, "analyst");
        }
        return builder.yaml(
                        AdminProxy.analystsWithRuntimeLimits(prefix, configIndex, auditIndex, "poll_interval: 200ms"))
                .write(dir);
    }

    private ProxyUnderTest start(Path config) throws Exception {
        ProxyUnderTest server = ProxyUnderTest.start(config);
        started.add(server);
        return server;
    }

    @AfterAll
    void stop() {
        started.forEach(ProxyUnderTest::close);
    }

    @Test
    void nonAdmins_get403_onEveryAdminEndpoint_andNoCredentials401() throws Exception {
        List<ApiClient.Answer> answers = List.of(
                proxy.answer("alice", "GET", "/_sketchgate/quotas", null),
                proxy.answer("alice", "GET", "/_sketchgate/quotas/roles/analyst", null),
                proxy.answer("alice", "PUT", "/_sketchgate/quotas/users/alice", "{\"max_time_range\":\"3650d\"}"),
                proxy.answer("alice", "DELETE", "/_sketchgate/quotas/roles/analyst", null),
                proxy.answer("alice", "GET", "/_sketchgate/audit", null),
                proxy.answer("alice", "POST", "/_sketchgate/explain", "{\"method\":\"GET\",\"path\":\"/\"}"));
        for (ApiClient.Answer answer : answers) {
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.errorType()).isEqualTo("security_exception");
            assertThat(answer.json().at("/error/reason").asText())
                    .contains("for user [alice]")
                    .contains("needs the role sketchgate_admin");
            assertThat(answer.json().get("status").asInt()).isEqualTo(403);
        }
        assertThat(proxy.answer(null, "GET", "/_sketchgate/quotas", null).status())
                .isEqualTo(401);
        assertThat(proxy.answer("root", "GET", "/_sketchgate/quotas/users/alice", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void role_roundTrip_create_read_list_override_delete() throws Exception {
        ApiClient.Answer created = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/roles/rt_role",
                "{\"indices\":[\"other-*\"],\"requests_per_minute\":50}");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        assertThat(created.json().get("result").asText()).isEqualTo("created");
        String version = created.json().get("version").asText();
        assertThat(created.header("ETag")).isEqualTo("\"" + version + "\"");

        ApiClient.Answer read = proxy.answer("root", "GET", "/_sketchgate/quotas/roles/rt_role", null);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"" + version + "\"");
        assertThat(read.json().get("source").asText()).isEqualTo("runtime");
        assertThat(read.json().get("settings"))
                .isEqualTo(ApiClient.JSON.readTree("{\"indices\":[\"other-*\"],\"requests_per_minute\":50}"));
        assertThat(read.json().at("/values/requests_per_minute/source").asText())
                .isEqualTo("runtime");
        assertThat(read.json().get("updated_by").asText()).isEqualTo("root");

        // a file role overridden at run time shows both, and deleting the change brings the file's back
        ApiClient.Answer override = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/roles/analyst",
                "{\"indices\":[\"" + prefix + "-*\"],\"max_time_range\":\"62d\"}");
        assertThat(override.status()).isEqualTo(201);
        JsonNode list = proxy.answer("root", "GET", "/_sketchgate/quotas", null).json();
        assertThat(list.at("/roles/rt_role/source").asText()).isEqualTo("runtime");
        assertThat(list.at("/roles/analyst/source").asText()).isEqualTo("runtime");
        assertThat(list.at("/roles/analyst/settings/max_time_range").asText()).isEqualTo("62d");
        assertThat(list.at("/roles/analyst/file/max_time_range").asText()).isEqualTo("31d");
        assertThat(list.at("/store/status").asText()).isEqualTo("available");

        ApiClient.Answer deleted = proxy.answer("root", "DELETE", "/_sketchgate/quotas/roles/analyst", null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("result").asText()).isEqualTo("deleted");
        ApiClient.Answer back = proxy.answer("root", "GET", "/_sketchgate/quotas/roles/analyst", null);
        assertThat(back.json().get("source").asText()).isEqualTo("file");
        assertThat(back.json().get("version").asText()).isEqualTo("file");
        assertThat(back.json().at("/settings/max_time_range").asText()).isEqualTo("31d");
        ApiClient.Answer again = proxy.answer("root", "DELETE", "/_sketchgate/quotas/roles/analyst", null);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().at("/error/reason").asText()).contains("only editing the file removes it");
        assertThat(proxy.answer("root", "DELETE", "/_sketchgate/quotas/roles/rt_role", null)
                        .status())
                .isEqualTo(200);
        assertThat(proxy.answer("root", "GET", "/_sketchgate/quotas/roles/rt_role", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void invalidBody_is400_listingEveryProblemWithKeyValueAndAllowedValues_andStoresNothing() throws Exception {
        ApiClient.Answer answer = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/roles/broken",
                "{\"max_time_range\":\"31 days\",\"on_exceed\":\"sometimes\",\"requests_per_minute\":0,\"indixes\":[\"x\"]}");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.errorType()).isEqualTo("sketchgate_validation_exception");
        JsonNode problems = answer.json().at("/error/problems");
        assertThat(problems).hasSize(4);
        assertThat(answer.json().at("/error/root_cause")).hasSize(4);
        assertThat(problems.get(0).toString())
                .isEqualTo(
                        "{\"key\":\"roles.broken.max_time_range\",\"value\":\"31 days\","
                                + "\"reason\":\"must be a duration like 5s or 500ms (units: ms, s, m, h, d), was \\\"31 days\\\"\"}");
        assertThat(problems.get(1).toString())
                .isEqualTo("{\"key\":\"roles.broken.on_exceed\",\"value\":\"sometimes\","
                        + "\"reason\":\"must be reject or clamp, was \\\"sometimes\\\"\"}");
        assertThat(problems.get(2).get("reason").asText())
                .isEqualTo("must be a whole number from 1 to 1000000, was \"0\"");
        assertThat(problems.get(3).get("key").asText()).isEqualTo("roles.broken.indixes");
        assertThat(problems.get(3).get("reason").asText())
                .startsWith(
                        "unknown key, did you mean \"indices\"? Allowed keys:" + " indices, max_time_range, on_exceed");
        assertThat(answer.json().at("/error/reason").asText()).startsWith("The role broken is not valid (4 problems):");
        assertThat(proxy.answer("root", "GET", "/_sketchgate/quotas/roles/broken", null)
                        .status())
                .isEqualTo(404);

        ApiClient.Answer notJson = proxy.answer("root", "PUT", "/_sketchgate/quotas/users/bob", "{max_time_range: 1d");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.errorType()).isEqualTo("parse_exception");
    }

    @Test
    void lostUpdate_is409_namingTheCurrentVersion() throws Exception {
        String v1 = proxy.answer("root", "PUT", "/_sketchgate/quotas/users/bob", "{\"requests_per_minute\":10}")
                .json()
                .get("version")
                .asText();
        // two admins read v1; the first writes, the second's write is refused
        ApiClient.Answer first = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/users/bob",
                "{\"requests_per_minute\":20}",
                Map.of("If-Match", "\"" + v1 + "\""));
        assertThat(first.status()).isEqualTo(200);
        String v2 = first.json().get("version").asText();
        assertThat(v2).isNotEqualTo(v1);
        ApiClient.Answer second = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/users/bob",
                "{\"requests_per_minute\":30}",
                Map.of("If-Match", "\"" + v1 + "\""));
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorType()).isEqualTo("version_conflict_engine_exception");
        assertThat(second.json().at("/error/reason").asText())
                .isEqualTo("The user bob changed since version [" + v1
                        + "] (If-Match): the current version is [" + v2
                        + "]. GET /_sketchgate/quotas/users/bob, reapply your"
                        + " change and send it with If-Match: \"" + v2 + "\".");
        ApiClient.Answer staleDelete =
                proxy.answer("root", "DELETE", "/_sketchgate/quotas/users/bob", null, Map.of("If-Match", v1));
        assertThat(staleDelete.status()).isEqualTo(409);
        // "file" means: only if no run-time change is stored
        assertThat(proxy.answer("root", "PUT", "/_sketchgate/quotas/users/bob", "{}", Map.of("If-Match", "\"file\""))
                        .status())
                .isEqualTo(409);
        JsonNode now = proxy.answer("root", "GET", "/_sketchgate/quotas/users/bob", null)
                .json();
        assertThat(now.at("/settings/requests_per_minute").asInt()).isEqualTo(20);
        assertThat(proxy.answer("root", "DELETE", "/_sketchgate/quotas/users/bob", null, Map.of("If-Match", v2))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void userOverride_takesEffectOnTheNextProxiedRequest_andItsRemovalToo() throws Exception {
        assertThat(proxy.answer("carol", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(200);
        assertThat(proxy.answer("root", "PUT", "/_sketchgate/quotas/users/carol", "{\"max_time_range\":\"1d\"}")
                        .status())
                .isEqualTo(201);
        ApiClient.Answer refused = proxy.answer("carol", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().at("/error/reason").asText())
                .isEqualTo("Time range of 7.0 days on " + prefix
                        + "-* exceeds the 1 day allowed (max_time_range set for user carol). Pick a range of 1 day or less,"
                        + " or ask an administrator to raise the limit.");
        assertThat(proxy.answer("alice", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(200);
        assertThat(proxy.answer("root", "DELETE", "/_sketchgate/quotas/users/carol", null)
                        .status())
                .isEqualTo(200);
        assertThat(proxy.answer("carol", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void everyChange_isAudited_withWhoWhenWhereWhatBeforeAndAfter() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        proxy.answer("root", "PUT", "/_sketchgate/quotas/users/dave", "{\"max_concurrent\":2}");
        proxy.answer("root", "PUT", "/_sketchgate/quotas/users/dave", "{\"max_concurrent\":3}");
        proxy.answer("root", "DELETE", "/_sketchgate/quotas/users/dave", null);
        ApiClient.Answer audit =
                proxy.answer("root", "GET", "/_sketchgate/audit?user=root&size=100&from=" + before, null);
        assertThat(audit.status()).isEqualTo(200);
        List<JsonNode> dave = new ArrayList<>();
        audit.json().get("entries").forEach(e -> {
            if (e.get("name").asText().equals("dave")) {
                dave.add(e);
            }
        });
        assertThat(dave).hasSize(3); // newest first
        JsonNode delete = dave.get(0);
        JsonNode update = dave.get(1);
        JsonNode create = dave.get(2);
        assertThat(create.get("method").asText()).isEqualTo("PUT");
        assertThat(create.get("path").asText()).isEqualTo("/_sketchgate/quotas/users/dave");
        assertThat(create.get("kind").asText()).isEqualTo("user");
        assertThat(create.get("user").asText()).isEqualTo("root");
        assertThat(create.get("roles").get(0).asText()).isEqualTo("sketchgate_admin");
        assertThat(create.get("remote_address").asText()).contains("127.0.0.1");
        assertThat(Instant.parse(create.get("@timestamp").asText())).isAfter(before);
        assertThat(create.get("before").isNull()).isTrue();
        assertThat(create.at("/after/settings/max_concurrent").asInt()).isEqualTo(2);
        assertThat(create.at("/after/source").asText()).isEqualTo("runtime");
        assertThat(update.at("/before/settings/max_concurrent").asInt()).isEqualTo(2);
        assertThat(update.at("/after/settings/max_concurrent").asInt()).isEqualTo(3);
        assertThat(update.at("/before/version").asText())
                .isEqualTo(create.at("/after/version").asText());
        assertThat(delete.get("method").asText()).isEqualTo("DELETE");
        assertThat(delete.at("/before/settings/max_concurrent").asInt()).isEqualTo(3);
        assertThat(delete.get("after").isNull()).isTrue();

        assertThat(proxy.answer("root", "GET", "/_sketchgate/audit?user=nobody", null)
                        .json()
                        .get("total")
                        .asInt())
                .isZero();
        assertThat(proxy.answer("root", "GET", "/_sketchgate/audit?from=yesterday-ish", null)
                        .status())
                .isEqualTo(400);
        assertThat(proxy.answer("root", "GET", "/_sketchgate/audit?size=-1", null)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void invalidStoredDocument_isListedAsInvalid_andSkipped() throws Exception {
        proxy.answer(
                "root", "PUT", "/_sketchgate/quotas/users/fred", "{\"max_time_range\":\"1d\"}"); // creates the index
        es.requests()
                .put(
                        "/" + configIndex + "/_doc/user:mallory?refresh=true",
                        "{\"kind\":\"user\",\"name\":\"mallory\",\"settings\":{\"requests_per_minute\":\"lots\"}}");
        es.requests()
                .put(
                        "/" + configIndex + "/_doc/role:x?refresh=true",
                        "{\"kind\":\"user\",\"name\":\"x\",\"settings\":{}}");
        JsonNode list = proxy.answer("root", "GET", "/_sketchgate/quotas", null).json();
        List<String> invalidIds = new ArrayList<>();
        list.get("invalid").forEach(i -> invalidIds.add(i.get("id").asText()));
        assertThat(invalidIds).contains("user:mallory", "role:x");
        JsonNode mallory = null;
        for (JsonNode invalid : list.get("invalid")) {
            if (invalid.get("id").asText().equals("user:mallory")) {
                mallory = invalid;
            }
        }
        assertThat(mallory.get("status").asText()).isEqualTo("invalid");
        assertThat(mallory.at("/problems/0").toString())
                .isEqualTo(
                        "{\"key\":\"users.mallory.overrides.requests_per_minute\","
                                + "\"value\":\"lots\",\"reason\":\"must be a whole number from 1 to 1000000, was \\\"lots\\\"\"}");
        assertThat(list.get("users").has("mallory")).isFalse();
        assertThat(list.at("/users/fred/settings/max_time_range").asText()).isEqualTo("1d"); // valid ones still apply
        assertThat(proxy.answer("fred", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(400);
        es.requests().call("DELETE", "/" + configIndex + "/_doc/user:mallory?refresh=true", null);
        es.requests().call("DELETE", "/" + configIndex + "/_doc/role:x?refresh=true", null);
    }

    @Test
    void change_reachesAnotherInstanceWithin2Seconds_andSurvivesARestartOfTheWriter() throws Exception {
        ProxyUnderTest writer = start(config);
        ApiClient other = start(config).client();
        assertThat(other.answer("erin", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(200);

        ApiClient.Answer put =
                writer.client().answer("root", "PUT", "/_sketchgate/quotas/users/erin", "{\"max_time_range\":\"2d\"}");
        assertThat(put.status()).isEqualTo(201);
        AdminProxy.Seen seen =
                AdminProxy.untilNot200(other, "erin", "/" + prefix + "-*/_search", SEVEN_DAYS, Duration.ofSeconds(3));
        assertThat(seen.status()).isEqualTo(400);
        assertThat(seen.took()).isLessThan(Duration.ofSeconds(2));

        writer.close();
        ApiClient restarted = start(config).client();
        JsonNode erin = restarted
                .answer("root", "GET", "/_sketchgate/quotas/users/erin", null)
                .json();
        assertThat(erin.get("source").asText()).isEqualTo("runtime");
        assertThat(erin.get("version").asText())
                .isEqualTo(put.json().get("version").asText());
        assertThat(restarted
                        .answer("erin", "POST", "/" + prefix + "-*/_search", SEVEN_DAYS)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void elasticsearchDownAtStart_proxyStartsWithTheFileConfig_andSaysTheStoreIsUnavailable(@TempDir Path dir)
            throws Exception {
        ProxyUnderTest down = start(config(dir, URI.create("http://127.0.0.1:9")));
        ApiClient.Answer list = down.client().answer("root", "GET", "/_sketchgate/quotas", null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().at("/store/status").asText()).isEqualTo("unavailable");
        assertThat(list.json().at("/store/last_error").asText()).isNotEmpty();
        assertThat(list.json().at("/roles/analyst/source").asText()).isEqualTo("file");
        ApiClient.Answer put = down.client().answer("root", "PUT", "/_sketchgate/quotas/users/gina", "{}");
        assertThat(put.status()).isEqualTo(503);
        assertThat(put.errorType()).isEqualTo("sketchgate_store_unavailable_exception");
    }

    /**
     * Random and mutated bodies and names for the run-time quota endpoints: every answer is a success or an
     * Elasticsearch-shaped 4xx naming the problem, never a 5xx, and nothing stored before is lost.
     */
    @Test
    void fuzzedQuotaChanges_areAcceptedOrRefusedInShape_andLoseNothingStored() throws Exception {
        ApiClient.Answer kept = proxy.answer(
                "root",
                "PUT",
                "/_sketchgate/quotas/roles/fuzz-keeper",
                "{\"indices\":[\"keep-*\"],\"max_time_range\":\"9d\"}");
        assertThat(kept.status()).as(kept.json().toString()).isBetween(200, 201);
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        String[] keys = {
            "indices",
            "max_time_range",
            "on_exceed",
            "require_time_filter",
            "requests_per_minute",
            "max_concurrent",
            "max_queue",
            "max_queue_time",
            "max_execution_time",
            "daily_es_time_budget",
            "nope",
            "",
            "max_time_range ",
            "MAX_TIME_RANGE"
        };
        String[] values = {
            "\"7d\"",
            "\"0s\"",
            "-1",
            "0",
            "1e999",
            "99999999999999999999",
            "null",
            "true",
            "[]",
            "{}",
            "\"clamp\"",
            "\"reject\"",
            "\"\\u0000\"",
            "[\"logs-*\"]",
            "[\"\"]",
            "[\"_all\"]",
            "\"3650d\"",
            "\"${SKETCHGATE_SECRET}\"",
            "\"" + "x".repeat(5000) + "\"",
            "1.5",
            "\"7 days\""
        };
        String[] names = {
            "fuzz-a", "fuzz-b", "Fuzz", "fuzz b", "../fuzz", "fuzz%2F..", "_fuzz", "x".repeat(300), "fuzz\u00e9"
        };
        java.util.Map<String, Integer> outcomes = new java.util.TreeMap<>();
        int inputs = 400;
        for (int i = 0; i < inputs; i++) {
            StringBuilder body = new StringBuilder("{");
            for (int k = random.nextInt(5); k >= 0; k--) {
                body.append('"')
                        .append(keys[random.nextInt(keys.length)])
                        .append("\":")
                        .append(values[random.nextInt(values.length)])
                        .append(k > 0 ? "," : "");
            }
            body.append('}');
            String text = switch (random.nextInt(6)) {
                case 0 -> body.substring(0, random.nextInt(body.length())); // truncated
                case 1 -> "[" + body + "]";
                case 2 -> "{\"a\":".repeat(random.nextInt(1, 2000)) + "1";
                default -> body.toString();
            };
            String kind = random.nextBoolean() ? "roles" : "users";
            String name = java.net.URLEncoder.encode(
                            names[random.nextInt(names.length)], java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20");
            String method = random.nextInt(8) == 0 ? "DELETE" : "PUT";
            ApiClient.Answer answer = proxy.answer(
                    "root", method, "/_sketchgate/quotas/" + kind + "/" + name, method.equals("PUT") ? text : null);
            String what = method + " " + kind + "/" + name + " " + text.substring(0, Math.min(200, text.length()));
            assertThat(answer.status()).as(what + " → " + answer.json()).isLessThan(500);
            if (answer.status() >= 400) {
                assertThat(answer.json().at("/error/type").asText())
                        .as(what + " → " + answer.json())
                        .isNotEmpty();
                assertThat(answer.json().at("/error/reason").asText()).as(what).isNotEmpty();
            }
            outcomes.merge(
                    answer.status() + " " + answer.json().at("/error/type").asText(""), 1, Integer::sum);
        }
        System.out.println("quota API fuzz: " + inputs + " inputs; outcomes: " + outcomes);
        ApiClient.Answer keeper = proxy.answer("root", "GET", "/_sketchgate/quotas/roles/fuzz-keeper", null);
        assertThat(keeper.status()).isEqualTo(200);
        assertThat(keeper.json().toString()).contains("keep-*").contains("9d");
        ApiClient.Answer analyst = proxy.answer("root", "GET", "/_sketchgate/quotas/roles/analyst", null);
        assertThat(analyst.status()).isEqualTo(200);
        assertThat(analyst.json().toString()).contains("31d");
        assertThat(proxy.answer("root", "GET", "/_sketchgate/quotas", null).status())
                .isEqualTo(200);
        proxy.answer("root", "DELETE", "/_sketchgate/quotas/roles/fuzz-keeper", null);
    }
}
