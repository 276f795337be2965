package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real Elasticsearch that holds a request open past limits.response_timeout gets a 504 from Sketchgate. */
@RealElasticsearch
class ElasticsearchTimeoutTest {

    @Test
    void slowElasticsearch_gives504InElasticsearchShape(TestElasticsearch es) throws Exception {
        try (ProxyServer proxy = ProxyFixture.forElasticsearch(es.baseUri())
                .responseTimeout(Duration.ofMillis(700))
                .start()) {
            // Elasticsearch keeps this open for 10 s waiting for nodes that never come.
            HttpRequest slow = HttpRequest.newBuilder(ProxyFixture.uri(proxy.elasticsearchAddress())
                            .resolve("/_cluster/health?wait_for_nodes=9&timeout=10s"))
                    .build();
            long start = System.nanoTime();
            HttpResponse<String> response = HttpClient.newHttpClient().send(slow, HttpResponse.BodyHandlers.ofString());
            long millis = (System.nanoTime() - start) / 1_000_000;

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(millis).isBetween(600L, 5_000L);
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertThat(body.at("/error/type").asText()).isEqualTo("sketchgate_upstream_timeout_exception");
            assertThat(body.at("/error/reason").asText())
                    .startsWith("The Elasticsearch node " + "http://127.0.0.1:"
                            + es.baseUri().getPort());
            assertThat(body.get("status").asInt()).isEqualTo(504);
            assertThat(response.headers().firstValue("X-elastic-product")).contains("Elasticsearch");
        }
    }
}
