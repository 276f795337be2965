package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.ReadinessCheck;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.esapi.RequestPath;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Readiness in {@code /_sketchgate/health}: the upstream, and every check registered at start-up. */
class HealthReadinessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Upstream upstream = new Upstream("elasticsearch", List.of(URI.create("http://127.0.0.1:1")), 9200);

    @Test
    void readyOnlyWhenTheUpstreamAndEveryCheckAre() throws Exception {
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        SketchgateApi api = SketchgateApi.builder(upstream)
                .readiness(
                        "realtime_tailer",
                        () -> caughtUp.get()
                                ? ReadinessCheck.Readiness.ok()
                                : ReadinessCheck.Readiness.notReady("weblogs_uv is 5 min behind"))
                .build();

        ApiResponse waiting = health(api);
        assertThat(waiting.status()).isEqualTo(503);
        JsonNode body = JSON.readTree(waiting.body());
        assertThat(body.path("status").asText()).isEqualTo("not_ready");
        assertThat(body.path("live").asBoolean()).isTrue();
        assertThat(body.path("checks").toString())
                .isEqualTo("{\"elasticsearch\":{\"ready\":true},"
                        + "\"realtime_tailer\":{\"ready\":false,\"detail\":\"weblogs_uv is 5 min behind\"}}");

        caughtUp.set(true);
        assertThat(health(api).status()).isEqualTo(200);

        upstream.nodes().get(0).markDown("connection refused");
        JsonNode down = JSON.readTree(health(api).body());
        assertThat(down.path("status").asText()).isEqualTo("not_ready");
        assertThat(down.at("/checks/elasticsearch").toString())
                .isEqualTo("{\"ready\":false,\"detail\":\"no Elasticsearch node answers health checks\"}");
    }

    @Test
    void aCheckNameIsTakenOnce() {
        SketchgateApi.Builder builder =
                SketchgateApi.builder(upstream).readiness("tailer", ReadinessCheck.Readiness::ok);
        assertThatThrownBy(() -> builder.readiness("tailer", ReadinessCheck.Readiness::ok))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> builder.readiness("elasticsearch", ReadinessCheck.Readiness::ok))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static ApiResponse health(SketchgateApi api) {
        return api.handle(
                        "GET",
                        "/_sketchgate/health",
                        RequestPath.parse("/_sketchgate/health"),
                        new DefaultHttpHeaders(),
                        new byte[0],
                        "-")
                .join();
    }
}
