package io.sketchgate.identity;

import static io.sketchgate.identity.SignedHeaderSourceTest.headers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.netty.handler.codec.http.HttpHeaders;
import io.sketchgate.config.DecisionHeaderAudience;
import io.sketchgate.config.EsIdentityConfig;
import io.sketchgate.config.IdentityConfig;
import io.sketchgate.config.IdentitySource;
import io.sketchgate.config.KibanaInternalConfig;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.testing.EsRequests;
import io.sketchgate.testing.HarnessSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code elasticsearch} source against a real node with security on (file realm users over plain http). The
 * shared test node runs with security off, so this class starts its own.
 */
class ElasticsearchSourceTest {
    private static final String ADMIN = "sg_admin";
    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final String ALICE_PASSWORD = "alice-password-1";
    private static final Map<String, List<String>> MAPPING =
            Map.of("superuser", List.of("sketchgate_admin"), "*", List.of("analyst"));

    private static EmbeddedElasticsearch node;
    private static RestClient sketchgateClient;
    private static EsRequests admin;
    private static final AtomicLong SENT_AUTHENTICATE = new AtomicLong();

    @BeforeAll
    static void startSecuredNode() throws Exception {
        node = HarnessSettings.builder("security-" + ProcessHandle.current().pid())
                .fileRealmUser(ADMIN, ADMIN_PASSWORD, "superuser")
                .fileRealmUser("alice", ALICE_PASSWORD, "viewer", "editor")
                .fileRealmUser("kibana_bg", "kibana-password-1", "kibana_system")
                .build()
                .start();
        URI uri = node.httpUris().get(0);
        // Sketchgate's own client carries its own (admin) credentials: the source must send the request's instead.
        // It counts the authenticate calls it sends: Elasticsearch's usage stats count only the ones that succeed.
        sketchgateClient = RestClient.builder(HttpHost.create(uri.toString()))
                .setDefaultHeaders(new Header[] {
                    new BasicHeader(
                            "Authorization", basic(ADMIN, ADMIN_PASSWORD).get("Authorization"))
                })
                .setHttpClientConfigCallback(http ->
                        http.addInterceptorLast((HttpRequestInterceptor) (request, context) -> {
                            if (request.getRequestLine().getUri().startsWith(ElasticsearchSource.AUTHENTICATE)) {
                                SENT_AUTHENTICATE.incrementAndGet();
                            }
                        }))
                .build();
        admin = new EsRequests(sketchgateClient);
    }

    @AfterAll
    static void stop() throws Exception {
        if (sketchgateClient != null) {
            sketchgateClient.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static IdentityResolver resolver(
            RestClient client, Optional<Map<String, List<String>>> mapping, Duration cacheTtl) {
        IdentityConfig identity = new IdentityConfig(
                true,
                List.of(IdentitySource.ELASTICSEARCH),
                Optional.of("viewer"),
                new EsIdentityConfig(cacheTtl, Duration.ofSeconds(5), mapping),
                Optional.empty(),
                Duration.ofMinutes(1),
                new KibanaInternalConfig(List.of("kibana_bg"), "kibana_internal"),
                DecisionHeaderAudience.ADMINS,
                Optional.empty());
        return IdentityResolver.create(
                identity,
                io.sketchgate.config.UsersConfig.NONE,
                client,
                Runnable::run,
                Clock.systemUTC(),
                Ticker.systemTicker());
    }

    private static HttpHeaders basic(String user, String password) {
        return headers(Map.of(
                "Authorization",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))));
    }

    private static Identity resolved(CompletableFuture<Identity> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<Identity> future) {
        Throwable e = catchThrowable(() -> future.get(30, TimeUnit.SECONDS));
        assertThat(e).isInstanceOf(ExecutionException.class);
        return e.getCause();
    }

    /** How often the node has served {@code GET /_security/_authenticate}, from its own usage counters. */
    private static long authenticateCalls() throws Exception {
        JsonNode nodes = admin.get("/_nodes/usage").path("nodes");
        Iterator<JsonNode> each = nodes.elements();
        return each.next()
                .path("rest_actions")
                .path("security_authenticate_action")
                .asLong(0);
    }

    @Test
    void rightPassword_yieldsTheUser_withRolesMappedThroughRoleMapping() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));

        assertThat(resolved(resolver.resolve(basic("alice", ALICE_PASSWORD))))
                .isEqualTo(new Identity("alice", Set.of("analyst"), Identity.Source.ELASTICSEARCH, false));
        assertThat(resolved(resolver.resolve(basic(ADMIN, ADMIN_PASSWORD))))
                .isEqualTo(new Identity(ADMIN, Set.of("sketchgate_admin"), Identity.Source.ELASTICSEARCH, false));
    }

    @Test
    void withoutRoleMapping_elasticsearchRolesAreUsedAsTheyAre() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.empty(), Duration.ofMinutes(5));

        assertThat(resolved(resolver.resolve(basic("alice", ALICE_PASSWORD))).roles())
                .containsExactlyInAnyOrder("viewer", "editor");
    }

    /**
     * API keys cannot be created in the integ-test-zip: {@code POST /_security/api_key} fails with 400 "Unknown filter
     * type [pattern_capture] for [email]", since the {@code .security} index needs the analysis-common module the
     * zip lacks (native users and tokens likewise). So this checks that an ApiKey header goes to Elasticsearch as it
     * is and its refusal becomes Sketchgate's 401.
     */
    @Test
    void apiKey_isSentToElasticsearch_andItsRefusalIs401() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));
        long before = SENT_AUTHENTICATE.get();
        String apiKey = Base64.getEncoder().encodeToString("no-such-id:no-such-key".getBytes(StandardCharsets.UTF_8));

        Throwable e = failure(resolver.resolve(headers(Map.of("Authorization", "ApiKey " + apiKey))));

        assertThat(e).isInstanceOf(IdentityException.class);
        assertThat(((IdentityException) e).reason())
                .startsWith("Unable to authenticate: Elasticsearch refused the ApiKey credentials.");
        assertThat(SENT_AUTHENTICATE.get() - before).isEqualTo(1);
    }

    @Test
    void repeatedRequests_askElasticsearchOnceWithinTheTtl_andCacheOnlyAHash() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));
        long before = authenticateCalls();
        long sentBefore = SENT_AUTHENTICATE.get();

        for (int i = 0; i < 5; i++) {
            assertThat(resolved(resolver.resolve(basic("alice", ALICE_PASSWORD)))
                            .user())
                    .isEqualTo("alice");
        }

        assertThat(authenticateCalls() - before).isEqualTo(1);
        assertThat(SENT_AUTHENTICATE.get() - sentBefore).isEqualTo(1);
        ElasticsearchSource source =
                (ElasticsearchSource) IdentityResolverTest.sources(resolver).get(0);
        String header = basic("alice", ALICE_PASSWORD).get("Authorization");
        assertThat(source.cacheKeys()).containsExactly(CredentialHash.of(header));
        assertThat(source.cacheKeys().iterator().next())
                .doesNotContain(ALICE_PASSWORD)
                .doesNotContain(header.substring("Basic ".length()));
    }

    @Test
    void wrongPassword_is401_andTheFailureIsCachedSoElasticsearchIsAskedOnce() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));
        long before = SENT_AUTHENTICATE.get();

        for (int i = 0; i < 3; i++) {
            Throwable e = failure(resolver.resolve(basic("alice", "wrong-password")));
            assertThat(e).isInstanceOf(IdentityException.class);
            IdentityException denied = (IdentityException) e;
            assertThat(denied.status().code()).isEqualTo(401);
            assertThat(denied.type()).isEqualTo("security_exception");
            assertThat(denied.reason())
                    .isEqualTo("Unable to authenticate: Elasticsearch refused user [alice]. Check the"
                            + " user name and password or the API key. Send an Authorization header Elasticsearch accepts"
                            + " (Basic, Bearer or ApiKey).");
        }

        assertThat(SENT_AUTHENTICATE.get() - before).isEqualTo(1);
    }

    @Test
    void kibanaInternalUser_getsTheInternalRole() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));

        assertThat(resolved(resolver.resolve(basic("kibana_bg", "kibana-password-1"))))
                .isEqualTo(new Identity("kibana_bg", Set.of("kibana_internal"), Identity.Source.ELASTICSEARCH, true));
    }

    @Test
    void noAuthorization_doesNotCallElasticsearch_andIsAnonymous() throws Exception {
        IdentityResolver resolver = resolver(sketchgateClient, Optional.of(MAPPING), Duration.ofMinutes(5));
        long before = authenticateCalls();

        assertThat(resolved(resolver.resolve(headers(Map.of())))).isEqualTo(Identity.anonymous("viewer"));
        assertThat(authenticateCalls() - before).isZero();
    }

    @Test
    void elasticsearchUnreachable_fails502_andIsNotCached() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (RestClient unreachable = RestClient.builder(new HttpHost("127.0.0.1", closedPort, "http"))
                .build()) {
            IdentityResolver resolver = resolver(unreachable, Optional.empty(), Duration.ofMinutes(5));

            Throwable e = failure(resolver.resolve(basic("alice", ALICE_PASSWORD)));

            assertThat(e).isInstanceOf(ProxyException.class).isNotInstanceOf(IdentityException.class);
            ProxyException error = (ProxyException) e;
            assertThat(error.status().code()).isEqualTo(502);
            assertThat(error.type()).isEqualTo("sketchgate_upstream_unavailable_exception");
            assertThat(error.reason())
                    .startsWith("Sketchgate could not check the request's credentials with GET"
                            + " /_security/_authenticate: Elasticsearch could not be reached (ConnectException");
            ElasticsearchSource source =
                    (ElasticsearchSource) IdentityResolverTest.sources(resolver).get(0);
            assertThat(source.cacheKeys()).isEmpty();
        }
    }
}
