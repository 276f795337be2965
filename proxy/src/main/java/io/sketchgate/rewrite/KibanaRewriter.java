package io.sketchgate.rewrite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.uniques.UvAnswer;
import io.sketchgate.uniques.UvQueries;
import io.sketchgate.uniques.UvQuestion;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Answers {@link RewritePlan}s: asks {@link UvQueries} every question of the plan at once and shapes the
 * response as Elasticsearch's {@code _search}, {@code _async_search} or {@code _msearch} item. Keeps the
 * async-search responses it hands ids out for ({@link #asyncSearches()}).
 */
public final class KibanaRewriter {
    public static final String SOURCE_HEADER = "X-Sketchgate-Source";
    public static final String BOUNDS_HEADER = "X-Sketchgate-Uv-Bounds";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UvQueries engine;
    private final Clock clock;
    private final AsyncSearchStore asyncSearches;

    public KibanaRewriter(UvQueries engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
        this.asyncSearches = new AsyncSearchStore(clock);
    }

    public AsyncSearchStore asyncSearches() {
        return asyncSearches;
    }

    /**
     * A search response Sketchgate made.
     *
     * @param search  the {@code _search} response (what an async envelope's {@code response} holds)
     * @param bounds  the {@code X-Sketchgate-Uv-Bounds} value
     * @param started when answering began, epoch millis
     */
    public record Answer(ObjectNode search, String bounds, long started) {
        /** Response headers besides the JSON ones: where the answer came from and its error bounds. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(SOURCE_HEADER, "unique-counts");
            headers.put(BOUNDS_HEADER, bounds);
            return headers;
        }
    }

    /** The plan's answer; fails as the engine fails (the caller then lets Elasticsearch answer). */
    public CompletableFuture<Answer> answer(RewritePlan plan) {
        long started = clock.millis();
        long startNanos = System.nanoTime();
        QuestionPlan questions = new QuestionPlan(plan);
        List<QuestionPlan.Path> paths = new ArrayList<>(questions.questions().keySet());
        List<CompletableFuture<UvAnswer>> futures = new ArrayList<>();
        for (QuestionPlan.Path path : paths) {
            UvQuestion question = questions.questions().get(path);
            futures.add(engine.answer(question));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> {
                    Map<QuestionPlan.Path, UvAnswer> answers = new LinkedHashMap<>();
                    for (int i = 0; i < paths.size(); i++) {
                        answers.put(paths.get(i), futures.get(i).join());
                    }
                    ResponseSynthesizer synthesizer = new ResponseSynthesizer(plan, questions, answers);
                    long took = (System.nanoTime() - startNanos) / 1_000_000;
                    ObjectNode search = synthesizer.searchResponse(took);
                    return new Answer(search, synthesizer.bounds().header(), started);
                });
    }

    /** The body of the response to the plan's request: a search response, or a completed async envelope. */
    public ObjectNode responseBody(RewritePlan plan, Answer answer, String user) {
        if (plan.async() == null) {
            return answer.search();
        }
        return asyncSearches.complete(
                answer.search(),
                user,
                answer.started(),
                plan.async().keepAlive(),
                plan.async().keepOnCompletion());
    }

    public static byte[] bytes(Object json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
