package io.sketchgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Cache;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.sketchgate.config.ConfigLoader;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.http.Verdict;
import io.sketchgate.pipeline.Governance;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.TestElasticsearch;
import io.sketchgate.transport.RequestPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the policy reports to metrics and usage: its caches and quotas, and how long queued queries waited. */
@RealElasticsearch
class PolicyMonitorTest {
    private record Wait(String user, long nanos, boolean admitted) {}

    private final List<Wait> waits = new CopyOnWriteArrayList<>();
    private final List<String> caches = new CopyOnWriteArrayList<>();
    private final PolicyMonitor monitor = new PolicyMonitor() {
        @Override
        public void started(Map<String, Cache<?, ?>> named, Quotas quotas) {
            caches.addAll(named.keySet());
        }

        @Override
        public void queueWaited(String user, long waitNanos, boolean admitted) {
            waits.add(new Wait(user, waitNanos, admitted));
        }
    };

    @Test
    void aQueryThatQueuesReportsItsWait_oneThatDoesNotReportsNothing(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String index = IndexNames.unique("logs-mon");
        es.requests().createIndex(index, "{}");
        Path file = dir.resolve("sketchgate.yml");
        Files.writeString(file, """
                elasticsearch: { hosts: ["%s"] }
                roles:
                  default: { indices: ["logs-mon-*"], max_concurrent: 1, max_queue: 5 }
                """.formatted(es.baseUri()));
        SketchgateConfig config = new ConfigLoader(Map.of()).load(file);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            RequestPolicy policy = Governance.builder(config, es.client(), Runnable::run, scheduler, Clock.systemUTC())
                    .monitor(monitor)
                    .build()
                    .policy();
            assertThat(caches).containsExactly("indices");

            Verdict first = search(policy, index).get(10, TimeUnit.SECONDS);
            assertThat(first).isInstanceOf(Verdict.Allow.class);
            assertThat(waits).isEmpty(); // it got the slot at once
            CompletableFuture<Verdict> second = search(policy, index);
            Thread.sleep(100);
            assertThat(second).isNotDone();

            ((Verdict.Allow) first).onFinished().accept(new Verdict.Outcome(200, OptionalLong.of(3)));

            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(Verdict.Allow.class);
            assertThat(waits).hasSize(1);
            assertThat(waits.get(0).admitted()).isTrue();
            assertThat(waits.get(0).nanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        } finally {
            scheduler.shutdownNow();
        }
    }

    private static CompletableFuture<Verdict> search(RequestPolicy policy, String index) {
        DefaultHttpHeaders headers = new DefaultHttpHeaders();
        headers.set("Content-Type", "application/json");
        return policy.evaluate(new RequestPolicy.PolicyRequest(
                "POST",
                "/" + index + "/_search",
                headers,
                Optional.of("{\"query\":{\"match_all\":{}}}".getBytes(StandardCharsets.UTF_8))));
    }
}
