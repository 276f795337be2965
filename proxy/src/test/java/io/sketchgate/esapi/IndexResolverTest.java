package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sketchgate.testing.EsRequests;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealElasticsearch
class IndexResolverTest {
    private static final String P = IndexNames.unique(IndexResolverTest.class);
    private static IndexResolver resolver;
    private static RequestClassifier classifier;

    @BeforeAll
    static void createIndicesAliasesAndDataStream(TestElasticsearch es) throws Exception {
        EsRequests r = es.requests();
        r.createIndex(P + "-logs-1", null);
        r.createIndex(P + "-logs-2", null);
        r.createIndex(P + "-secret", null);
        r.createIndex(P + "-hidden", "{\"settings\":{\"index.hidden\":true}}");
        r.createIndex(P + "-closed", null);
        r.post("/" + P + "-closed/_close", null);
        String today =
                DateTimeFormatter.ofPattern("yyyy.MM.dd").format(Instant.now().atZone(ZoneOffset.UTC));
        r.createIndex(P + "-daily-" + today, null);
        r.post(
                "/_aliases",
                "{\"actions\":["
                        + "{\"add\":{\"index\":\"" + P + "-logs-1\",\"alias\":\"" + P + "-alias\"}},"
                        + "{\"add\":{\"index\":\"" + P + "-logs-2\",\"alias\":\"" + P
                        + "-filtered\",\"filter\":{\"term\":{\"user\":\"alice\"}}}}]}");
        r.put("/_index_template/" + P, "{\"index_patterns\":[\"" + P + "-ds*\"],\"data_stream\":{},\"priority\":900}");
        r.post("/" + P + "-ds/_doc", "{\"@timestamp\":\"2026-01-01T00:00:00Z\",\"message\":\"x\"}");
        resolver = new IndexResolver(es.client(), Duration.ofSeconds(30), 1000);
        classifier = new RequestClassifier(Clock.systemUTC());
    }

    /** Best effort: this zip has no data-streams module, so the data stream stays until the node's data is deleted. */
    @AfterAll
    static void cleanUp(TestElasticsearch es) {
        for (String[] call : new String[][] {
            {"DELETE", "/" + P + "-*"}, {"DELETE", "/_data_stream/" + P + "-ds"}, {"DELETE", "/_index_template/" + P}
        }) {
            try {
                es.requests().call(call[0], call[1] + "?expand_wildcards=all", null);
            } catch (Exception e) {
                // ignored: unique names keep other classes unaffected
            }
        }
    }

    private static ResolvedIndices resolve(String path) throws Exception {
        return resolver.resolve(classifier.classify("POST", path).targets()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void alias_resolvesToItsIndex() throws Exception {
        ResolvedIndices resolved = resolve("/" + P + "-alias/_search");
        assertThat(resolved.aliases()).containsEntry(P + "-alias", java.util.List.of(P + "-logs-1"));
        assertThat(resolved.concreteIndices()).containsExactly(P + "-logs-1");
    }

    @Test
    void filteredAlias_resolvesToItsIndex() throws Exception {
        assertThat(resolve("/" + P + "-filtered/_search").concreteIndices()).containsExactly(P + "-logs-2");
    }

    @Test
    void dataStream_resolvesToItsBackingIndices() throws Exception {
        ResolvedIndices resolved = resolve("/" + P + "-ds/_search");
        assertThat(resolved.dataStreams()).containsKey(P + "-ds");
        assertThat(resolved.dataStreams().get(P + "-ds").timestampField()).isEqualTo("@timestamp");
        assertThat(resolved.concreteIndices()).singleElement().asString().startsWith(".ds-" + P + "-ds-");
        assertThat(resolved.names()).contains(P + "-ds");
    }

    @Test
    void wildcard_includesHiddenAndClosedIndicesAndAliasTargets() throws Exception {
        ResolvedIndices resolved = resolve("/" + P + "-*/_search");
        assertThat(resolved.concreteIndices())
                .contains(P + "-logs-1", P + "-logs-2", P + "-secret", P + "-hidden", P + "-closed");
        assertThat(resolved.indices())
                .filteredOn(i -> i.name().equals(P + "-closed"))
                .singleElement()
                .satisfies(i -> assertThat(i.isClosed()).isTrue());
        assertThat(resolved.indices())
                .filteredOn(i -> i.name().equals(P + "-hidden"))
                .singleElement()
                .satisfies(i -> assertThat(i.isHidden()).isTrue());
    }

    @Test
    void exclusion_afterWildcard_removesTheIndex() throws Exception {
        assertThat(resolve("/" + P + "-logs-*,-" + P + "-logs-2/_search").concreteIndices())
                .containsExactly(P + "-logs-1");
    }

    @Test
    void encodedDateMathName_resolvesToTodaysIndex() throws Exception {
        String today =
                DateTimeFormatter.ofPattern("yyyy.MM.dd").format(Instant.now().atZone(ZoneOffset.UTC));
        assertThat(resolve("/%3C" + P + "-daily-%7Bnow%2Fd%7D%3E/_search").concreteIndices())
                .containsExactly(P + "-daily-" + today);
    }

    @Test
    void missingIndex_resolvesToNothing() throws Exception {
        assertThat(resolve("/" + P + "-missing/_search").concreteIndices()).isEmpty();
    }

    @Test
    void remoteItems_areNotSentToTheLocalCluster() throws Exception {
        assertThat(resolve("/" + P + "-logs-1,eu:" + P + "-logs-2/_search").concreteIndices())
                .containsExactly(P + "-logs-1");
    }

    @Test
    void allIndices_includeThisClassesIndices() throws Exception {
        assertThat(resolve("/_search").concreteIndices()).contains(P + "-logs-1", P + "-secret");
    }

    @Test
    void results_areCached() throws Exception {
        IndexTargets targets =
                classifier.classify("POST", "/" + P + "-logs-*/_search").targets();
        var first = resolver.resolve(targets);
        assertThat(resolver.resolve(targets)).isSameAs(first);
    }

    @Test
    void unreachableElasticsearch_isATypedUnavailableFailure() throws Exception {
        try (RestClient dead = RestClient.builder(new HttpHost("127.0.0.1", 1)).build()) {
            IndexResolver broken = new IndexResolver(dead, Duration.ofSeconds(30), 10);
            assertThatThrownBy(() -> broken.resolve(IndexExpressions.parse("x", Instant.now()))
                            .join())
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOfSatisfying(IndexResolutionException.class, e -> {
                        assertThat(e.unavailable()).isTrue();
                        assertThat(e.status()).isEqualTo(502);
                        assertThat(e.type()).isEqualTo("sketchgate_upstream_unavailable_exception");
                    });
        }
    }
}
