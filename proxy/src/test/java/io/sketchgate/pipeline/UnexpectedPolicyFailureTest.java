package io.sketchgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.http.Verdict;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.MovableClock;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.RequestPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bug inside the pipeline is answered 500 by the one translator: never a silent 400, never forwarded. */
@RealElasticsearch
class UnexpectedPolicyFailureTest {

    /** A clock that fails when the classifier asks it for "now": stands in for any bug while deciding. */
    private static final Clock BROKEN = new MovableClock(Instant.EPOCH) {
        @Override
        public Instant instant() {
            throw new IllegalStateException("clock unplugged");
        }
    };

    @Test
    void aFailureWhileDeciding_isDeniedWith500_andNotAllowed(TestElasticsearch es, @TempDir Path dir) throws Exception {
        String index = IndexNames.unique("logs-broken");
        es.requests().createIndex(index, "{}");
        Path file = dir.resolve("sketchgate.yml");
        Files.writeString(file, """
                elasticsearch: { hosts: ["%s"] }
                roles:
                  default: { indices: ["logs-broken-*"], max_time_range: 7d }
                """.formatted(es.baseUri()));
        SketchgateConfig config = new ConfigLoader(Map.of()).load(file);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RequestPolicy policy = Governance.builder(config, es.client(), Runnable::run, scheduler, BROKEN)
                    .build()
                    .policy();
            DefaultHttpHeaders headers = new DefaultHttpHeaders();
            headers.set("Content-Type", "application/json");

            Verdict verdict = policy.evaluate(new RequestPolicy.PolicyRequest(
                            "POST",
                            "/" + index + "/_search",
                            headers,
                            Optional.of("{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"now-1d\"}}}}"
                                    .getBytes(StandardCharsets.UTF_8))))
                    .get(10, TimeUnit.SECONDS);

            assertThat(verdict).isInstanceOf(Verdict.Deny.class);
            Verdict.Deny deny = (Verdict.Deny) verdict;
            assertThat(deny.decision()).isEqualTo("error");
            assertThat(deny.error().status().code()).isEqualTo(500);
            assertThat(deny.error().type()).isEqualTo("sketchgate_internal_exception");
            assertThat(deny.error().reason()).contains("IllegalStateException: clock unplugged");
        } finally {
            scheduler.shutdownNow();
        }
    }
}
