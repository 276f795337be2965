package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sketchgate.esapi.ContinuationIds;
import io.sketchgate.esapi.ContinuationKind;
import io.sketchgate.esapi.IndexExpressions;
import io.sketchgate.esapi.IndexTargets;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.esapi.RequestClassifier;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ContinuationRegistryTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final ContinuationRegistry<String> registry = new ContinuationRegistry<>(1000, Duration.ofDays(5), ticker);
    private final IndexTargets weblogs =
            IndexExpressions.parse("weblogs-*", Clock.systemUTC().instant());
    private final RequestClassifier classifier = new RequestClassifier(Clock.systemUTC());
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void owner_findsTheOriginalIndicesAndDecision() {
        registry.register(ContinuationKind.ASYNC_SEARCH, "Fm1", "alice", weblogs, "allowed 7d", Duration.ofMinutes(5));
        assertThat(registry.lookup(ContinuationKind.ASYNC_SEARCH, "Fm1", "alice"))
                .isInstanceOfSatisfying(ContinuationRegistry.Lookup.Found.class, found -> {
                    assertThat(found.continuation().targets()).isEqualTo(weblogs);
                    assertThat(found.continuation().decision()).isEqualTo("allowed 7d");
                });
    }

    @Test
    void anotherUser_getsNotFound_likeAnUnknownId() {
        registry.register(ContinuationKind.ASYNC_SEARCH, "Fm1", "alice", weblogs, "d", Duration.ofMinutes(5));
        assertThat(registry.lookup(ContinuationKind.ASYNC_SEARCH, "Fm1", "bob"))
                .isEqualTo(new ContinuationRegistry.Lookup.NotFound<String>(
                        ContinuationRegistry.Lookup.Reason.OTHER_OWNER));
        assertThat(registry.lookup(ContinuationKind.ASYNC_SEARCH, "nope", "alice"))
                .isEqualTo(
                        new ContinuationRegistry.Lookup.NotFound<String>(ContinuationRegistry.Lookup.Reason.UNKNOWN));
    }

    @Test
    void kindsAreSeparate_anAsyncIdIsNotAScrollId() {
        registry.register(ContinuationKind.ASYNC_SEARCH, "X", "alice", weblogs, "d", Duration.ofMinutes(5));
        assertThat(registry.lookup(ContinuationKind.SCROLL, "X", "alice"))
                .isInstanceOf(ContinuationRegistry.Lookup.NotFound.class);
    }

    @Test
    void entries_expireAfterTheirKeepAlive() {
        registry.register(ContinuationKind.SCROLL, "s1", "alice", weblogs, "d", Duration.ofMinutes(1));
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(registry.lookup(ContinuationKind.SCROLL, "s1", "alice"))
                .isInstanceOf(ContinuationRegistry.Lookup.Found.class);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(registry.lookup(ContinuationKind.SCROLL, "s1", "alice"))
                .isInstanceOf(ContinuationRegistry.Lookup.NotFound.class);
    }

    @Test
    void keepAlive_isCappedByTheMaximum() {
        registry.register(ContinuationKind.PIT, "p", "alice", weblogs, "d", Duration.ofDays(30));
        nanos.addAndGet(Duration.ofDays(5).plusSeconds(1).toNanos());
        assertThat(registry.lookup(ContinuationKind.PIT, "p", "alice"))
                .isInstanceOf(ContinuationRegistry.Lookup.NotFound.class);
    }

    @Test
    void registry_isBounded() {
        ContinuationRegistry<String> small = new ContinuationRegistry<>(10, Duration.ofHours(1), ticker);
        for (int i = 0; i < 100; i++) {
            small.register(ContinuationKind.SCROLL, "s" + i, "alice", weblogs, "d", Duration.ofMinutes(1));
        }
        assertThat(small.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void remove_forgetsTheId() {
        registry.register(ContinuationKind.ASYNC_SEARCH, "Fm1", "alice", weblogs, "d", Duration.ofMinutes(5));
        assertThat(registry.remove(ContinuationKind.ASYNC_SEARCH, "Fm1")).isPresent();
        assertThat(registry.lookup(ContinuationKind.ASYNC_SEARCH, "Fm1", "alice"))
                .isInstanceOf(ContinuationRegistry.Lookup.NotFound.class);
    }

    @Test
    void keepAlive_readsElasticsearchTimeValues() {
        assertThat(ContinuationRegistry.keepAlive("1m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
        assertThat(ContinuationRegistry.keepAlive("500ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(ContinuationRegistry.keepAlive("5d", Duration.ZERO)).isEqualTo(Duration.ofDays(5));
        assertThat(ContinuationRegistry.keepAlive("soon", Duration.ofSeconds(7)))
                .isEqualTo(Duration.ofSeconds(7));
        assertThat(ContinuationRegistry.keepAlive(null, Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void createdIds_areReadFromResponses() throws Exception {
        assertThat(ContinuationIds.created(QueryEndpoint.SEARCH, json.readTree("{\"_scroll_id\":\"DXF\",\"hits\":{}}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.SCROLL, "DXF"));
        assertThat(ContinuationIds.created(
                        QueryEndpoint.ASYNC_SEARCH_SUBMIT,
                        json.readTree("{\"id\":\"FmA\",\"is_running\":true,\"response\":{\"pit_id\":\"P2\"}}")))
                .containsExactly(
                        new ContinuationIds.Created(ContinuationKind.ASYNC_SEARCH, "FmA"),
                        new ContinuationIds.Created(ContinuationKind.PIT, "P2"));
        assertThat(ContinuationIds.created(QueryEndpoint.PIT_OPEN, json.readTree("{\"id\":\"P1\"}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.PIT, "P1"));
        assertThat(ContinuationIds.created(QueryEndpoint.SQL, json.readTree("{\"rows\":[],\"cursor\":\"sGl\"}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.SQL_CURSOR, "sGl"));
        assertThat(ContinuationIds.created(
                        QueryEndpoint.EQL_SEARCH, json.readTree("{\"id\":\"FmE\",\"is_running\":true}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.EQL_ASYNC, "FmE"));
        assertThat(ContinuationIds.created(QueryEndpoint.ESQL, json.readTree("{\"id\":\"FmQ\",\"is_running\":true}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.ESQL_ASYNC, "FmQ"));
        assertThat(ContinuationIds.created(QueryEndpoint.COUNT, json.readTree("{\"count\":1}")))
                .isEmpty();
    }

    @Test
    void referencedIds_areReadFromPathParametersAndBody() throws Exception {
        assertThat(ContinuationIds.referenced(classifier.classify("GET", "/_search/scroll/DXF"), null))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.SCROLL, "DXF"));
        assertThat(ContinuationIds.referenced(
                        classifier.classify("DELETE", "/_search/scroll"),
                        json.readTree("{\"scroll_id\":[\"a\",\"b\"]}")))
                .extracting(ContinuationIds.Created::id)
                .containsExactly("a", "b");
        assertThat(ContinuationIds.referenced(
                        classifier.classify("POST", "/_search"), json.readTree("{\"pit\":{\"id\":\"P1\"}}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.PIT, "P1"));
        assertThat(ContinuationIds.referenced(classifier.classify("DELETE", "/_pit"), json.readTree("{\"id\":\"P1\"}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.PIT, "P1"));
        assertThat(ContinuationIds.referenced(classifier.classify("DELETE", "/%5Fasync_search/FmA"), null))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.ASYNC_SEARCH, "FmA"));
        assertThat(ContinuationIds.referenced(
                        classifier.classify("POST", "/_sql"), json.readTree("{\"cursor\":\"sGl\"}")))
                .containsExactly(new ContinuationIds.Created(ContinuationKind.SQL_CURSOR, "sGl"));
    }
}
