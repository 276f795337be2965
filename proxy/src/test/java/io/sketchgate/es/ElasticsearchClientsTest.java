package io.sketchgate.es;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.Secret;
import io.sketchgate.testing.TestElasticsearch;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.http.Header;
import org.junit.jupiter.api.Test;

@io.sketchgate.testing.RealElasticsearch
class ElasticsearchClientsTest {

    @Test
    void basicCredentials_becomeABasicAuthorizationHeader() {
        List<Header> headers = ElasticsearchClients.authHeaders(
                config(Optional.of("sketchgate"), Optional.of(new Secret("s3cr3t")), Optional.empty()));
        assertThat(headers).singleElement().satisfies(h -> {
            assertThat(h.getName()).isEqualTo("Authorization");
            assertThat(h.getValue()).isEqualTo("Basic c2tldGNoZ2F0ZTpzM2NyM3Q=");
        });
    }

    @Test
    void apiKey_winsOverBasicCredentials() {
        List<Header> headers = ElasticsearchClients.authHeaders(
                config(Optional.empty(), Optional.empty(), Optional.of(new Secret("a2V5OnZhbHVl"))));
        assertThat(headers)
                .singleElement()
                .satisfies(h -> assertThat(h.getValue()).isEqualTo("ApiKey a2V5OnZhbHVl"));
    }

    @Test
    void noCredentials_sendNoAuthorizationHeader() {
        assertThat(ElasticsearchClients.authHeaders(config(Optional.empty(), Optional.empty(), Optional.empty())))
                .isEmpty();
    }

    @Test
    void client_isBuiltForEveryConfiguredNode() throws Exception {
        ElasticsearchConfig config = new ElasticsearchConfig(
                List.of(URI.create("http://127.0.0.1:9200"), URI.create("http://127.0.0.2:9201")),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(5));
        try (var client = ElasticsearchClients.create(config, Duration.ofSeconds(1), Duration.ofSeconds(5))) {
            assertThat(client.getNodes())
                    .extracting(n -> n.getHost().toURI())
                    .containsExactly("http://127.0.0.1:9200", "http://127.0.0.2:9201");
        }
    }

    @Test
    void everyRequestSent_isCounted(TestElasticsearch es) throws Exception {
        ElasticsearchConfig config = new ElasticsearchConfig(
                List.of(es.baseUri()),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Duration.ofSeconds(5));
        java.util.concurrent.atomic.LongAdder sent = new java.util.concurrent.atomic.LongAdder();
        try (var client = ElasticsearchClients.create(config, Duration.ofSeconds(1), Duration.ofSeconds(5), sent)) {
            client.performRequest(new org.elasticsearch.client.Request("GET", "/_cat/health"));
            client.performRequest(new org.elasticsearch.client.Request("GET", "/_cluster/health"));
        }
        assertThat(sent.sum()).isEqualTo(2);
    }

    private static ElasticsearchConfig config(
            Optional<String> user, Optional<Secret> password, Optional<Secret> apiKey) {
        return new ElasticsearchConfig(
                List.of(URI.create("http://127.0.0.1:9200")),
                user,
                password,
                apiKey,
                Optional.empty(),
                Duration.ofSeconds(5));
    }
}
