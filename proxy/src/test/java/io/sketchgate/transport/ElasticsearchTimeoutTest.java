package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A real Elasticsearch that holds a request open past limits.response_timeout gets a 504 from Sketchgate. */
@RealElasticsearch
class ElasticsearchTimeoutTest {

    @Test
    void slowElasticsearch_gives504InElasticsearchShape(TestElasticsearch es) throws Exception {
        try (ProxyUnderTest proxy = ProxyUnderTest.forElasticsearch(es.baseUri())
                .shortTimeouts()
                .limit("response_timeout", "700ms")
                .start()) {
            // Elasticsearch keeps this open for 10 s waiting for nodes that never come.
            HttpRequest slow = HttpRequest.newBuilder(
                            proxy.baseUri().resolve("/_cluster/health?wait_for_nodes=9&timeout=10s"))
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
