package io.sketchgate.telemetry;

import io.micrometer.core.instrument.Counter;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvQuestion;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unique-count answers counted in the metrics: the sketches each answer merged go to
 * {@code sketchgate_sketch_merges_total{definition}} and the requests it sent to Elasticsearch to
 * {@code sketchgate_uv_elasticsearch_requests_total{definition}}, for the UV API and the Kibana rewrite alike.
 */
public final class MeteredUvQueries implements UvQueries {
    private final UvQueries engine;
    private final SketchgateMetrics metrics;
    /** One counter per definition, created on its first answer and kept (never a meter per request). */
    private final Map<String, Counter> merges = new ConcurrentHashMap<>();

    private final Map<String, Counter> requests = new ConcurrentHashMap<>();

    public MeteredUvQueries(UvQueries engine, SketchgateMetrics metrics) {
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public CompletableFuture<UvAnswer> answer(UvQuestion question) {
        return engine.answer(question).thenApply(answer -> {
            String definition = question.definition().name();
            merges.computeIfAbsent(definition, metrics::sketchMerges)
                    .increment(answer.stats().sketchesMerged());
            requests.computeIfAbsent(definition, metrics::uvElasticsearchRequests)
                    .increment(answer.stats().elasticsearchRequests());
            return answer;
        });
    }
}
