package io.sketchgate.uniques;

import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.config.UniqueCountsConfig;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * {@code GET|POST /_sketchgate/uv/{definition}}: UV and PV per time bucket and split value, with totals (see
 * {@code docs/uv-api.md}). Order: parse and check the request (400), identify the caller (401), apply the
 * caller's roles to the definition's source over the range as if they had searched it (403, 400), answer
 * from {@link UvQueries}, render JSON or CSV.
 */
public final class UvApi implements ApiHandler {
    private final Supplier<UniqueCountsConfig> definitions;
    private final UvQueries queries;
    private final UvReadPolicy policy;
    private final Clock clock;

    /** @param definitions the definitions in force, read once per request ({@link UniqueCountDefinitions}) */
    public UvApi(Supplier<UniqueCountsConfig> definitions, UvQueries queries, UvReadPolicy policy, Clock clock) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw SketchgateApi.methodNotAllowed(request, "GET, POST");
        }
        long started = System.nanoTime();
        UvRequest uv = UvRequest.parse(request, definitions.get(), clock.instant());
        return request.caller()
                .thenCompose(caller -> policy.check(caller, uv.definition(), uv.from(), uv.to()))
                .thenCompose(allowed -> queries.answer(uv.question()))
                .handle((answer, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause()
                                : failure;
                        if (cause instanceof UniqueCountException question) {
                            throw UvRequest.badRequest(String.join("; ", question.problems()));
                        }
                        throw cause instanceof RuntimeException runtime ? runtime : new CompletionException(cause);
                    }
                    return UvResponses.render(uv, answer, (System.nanoTime() - started) / 1_000_000);
                });
    }
}
