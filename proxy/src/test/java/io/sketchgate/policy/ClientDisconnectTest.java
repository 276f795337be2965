package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.sketchgate.testing.ApiClient;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SlowSearches;
import io.sketchgate.testing.TestElasticsearch;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that hangs up mid-query: Elasticsearch cancels the search (checked with {@code _tasks}), the user's
 * concurrency slot is released, and the request waiting in the queue runs at once.
 */
@RealElasticsearch
class ClientDisconnectTest {
    private static final String CREDENTIALS = ApiClient.basic("sam", ProxyUnderTest.PASSWORD);

    @Test
    void hangingUp_cancelsTheSearch_andHandsTheSlotToTheQueuedRequest(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String index = IndexNames.unique("discq");
        SlowSearches.load(es, index);
        ProxyUnderTest.Builder config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .yaml("access_log: { enabled: false }")
                .user("sam", "single")
                .yaml("roles: { single: { indices: [\"discq-*\"], max_concurrent: 1, max_queue: 5 } }");
        try (ProxyUnderTest proxy = config.start(dir)) {
            URI base = proxy.baseUri();
            Socket heavy = new Socket("127.0.0.1", proxy.port());
            byte[] body = SlowSearches.HEAVY_AGGREGATION.getBytes(StandardCharsets.UTF_8);
            OutputStream out = heavy.getOutputStream();
            out.write(("POST /" + index + "/_search HTTP/1.1\r\nHost: x\r\nAuthorization: " + CREDENTIALS
                            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            awaitSearchTasks(es, true);

            // the user's only slot is taken: this one waits in the queue behind the heavy search
            HttpRequest light = HttpRequest.newBuilder(base.resolve("/" + index + "/_count"))
                    .header("Authorization", CREDENTIALS)
                    .timeout(Duration.ofSeconds(60))
                    .build();
            CompletableFuture<HttpResponse<String>> queued =
                    HttpClient.newHttpClient().sendAsync(light, HttpResponse.BodyHandlers.ofString());
            Thread.sleep(300);
            assertThat(queued).as("waits while the heavy search holds the slot").isNotDone();

            long hangUp = System.nanoTime();
            heavy.close();
            HttpResponse<String> response = queued.get(10, TimeUnit.SECONDS);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"count\":100000");
            assertThat(Duration.ofNanos(System.nanoTime() - hangUp)).isLessThan(Duration.ofSeconds(5));
            awaitSearchTasks(es, false);
        } finally {
            es.requests().deleteIndex(index);
        }
    }

    /** Waits until the node runs an uncancelled search ({@code running}) or none ({@code !running}). */
    private static void awaitSearchTasks(TestElasticsearch es, boolean running) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int uncancelled = SlowSearches.uncancelledSearchTasks(es);
        while ((uncancelled > 0) != running && System.nanoTime() < deadline) {
            Thread.sleep(50);
            uncancelled = SlowSearches.uncancelledSearchTasks(es);
        }
        assertThat(uncancelled > 0)
                .as(
                        running
                                ? "the heavy search runs in Elasticsearch"
                                : "Elasticsearch cancelled the search of the client that hung up")
                .isEqualTo(running);
    }
}
