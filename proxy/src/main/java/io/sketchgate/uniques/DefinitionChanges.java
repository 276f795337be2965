package io.sketchgate.uniques;

import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import java.util.concurrent.CompletableFuture;

/**
 * {@code PUT} and {@code DELETE /_sketchgate/unique-counts/{name}}: run-time changes of the definitions, made by
 * the admin API ({@code io.sketchgate.admin}), which stores, audits and applies them. {@link #NONE} where the
 * proxy has no admin API (neither identity nor roles configured): the file's definitions are all there is.
 */
public interface DefinitionChanges {
    DefinitionChanges NONE = (request, name) -> {
        throw SketchgateApi.methodNotAllowed(request, "GET, HEAD");
    };

    /** Stores ({@code PUT}) or removes ({@code DELETE}) the run-time definition {@code name}. */
    CompletableFuture<ApiResponse> change(ApiRequest request, String name);
}
