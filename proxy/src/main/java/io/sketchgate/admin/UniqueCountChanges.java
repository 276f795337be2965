package io.sketchgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.config.ConfigProblem;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountDocuments;
import io.sketchgate.es.EsJson;
import io.sketchgate.http.Identity;
import io.sketchgate.runtime.EntryKey;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.runtime.Version;
import io.sketchgate.uniques.DefinitionChanges;
import io.sketchgate.uniques.SourceMappingCheck;
import io.sketchgate.uniques.UvIndex;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code PUT} and {@code DELETE /_sketchgate/unique-counts/{name}}, admins only. A body is read by the file's reader
 * ({@link UniqueCountDocuments}) and checked against the source's mapping ({@link SourceMappingCheck}) as start-up
 * does; then it is stored, audited and applied like a quota ({@link EntryWrites}). Deleting a stored definition
 * brings back the file's of that name, if any; the {@code sketchgate-uv-NAME} index is kept either way.
 */
final class UniqueCountChanges implements DefinitionChanges {
    private static final String DOCS = "docs/unique-counts.md";
    private static final String EXAMPLE =
            "{\"source\": \"weblogs-*\", \"unique_field\": \"user_id\"," + " \"dimensions\": [\"country\"]}";

    private final RuntimeLimits limits;
    private final EntryWrites writes;

    UniqueCountChanges(RuntimeLimits limits) {
        this.limits = limits;
        this.writes = new EntryWrites(limits);
    }

    @Override
    public CompletableFuture<ApiResponse> change(ApiRequest request, String name) {
        EntryKey key = new EntryKey(EntryKey.Kind.UNIQUE_COUNT, name);
        return AdminAccess.requireAdmin(request)
                .thenCompose(caller ->
                        request.method().equals("PUT") ? put(request, caller, key) : delete(request, caller, key));
    }

    private CompletableFuture<ApiResponse> put(ApiRequest request, Identity caller, EntryKey key) {
        LimitDocuments.Read<UniqueCountDefinition> read =
                UniqueCountDocuments.definition(key.name(), EntryWrites.jsonBody(request, EXAMPLE));
        if (!read.valid()) {
            return CompletableFuture.completedFuture(
                    ApiErrors.validation("The " + key.describe(), read.problems(), DOCS));
        }
        UniqueCountDefinition definition = read.value().get();
        Optional<Version.Expected> expected = EntryWrites.ifMatch(request);
        return limits.submit(() -> {
            List<ConfigProblem> mapping = mappingProblems(definition);
            if (!mapping.isEmpty()) {
                return ApiErrors.validation(
                        "The " + key.describe() + " (checked against the mapping of \"" + definition.source() + "\")",
                        mapping,
                        DOCS);
            }
            JsonNode settings = settings(definition);
            EntryWrites.Written written =
                    writes.write(request, caller, key, Optional.of(settings), file(key), expected);
            return answer(key, written, Optional.of(settings));
        });
    }

    private CompletableFuture<ApiResponse> delete(ApiRequest request, Identity caller, EntryKey key) {
        Optional<Version.Expected> expected = EntryWrites.ifMatch(request);
        return limits.submit(() -> {
            EntryWrites.Written written = writes.write(request, caller, key, Optional.empty(), file(key), expected);
            return answer(key, written, file(key));
        });
    }

    /** The mapping check's problems as {@code key: reason} pairs; 503 when the mapping cannot be read. */
    private List<ConfigProblem> mappingProblems(UniqueCountDefinition definition) {
        try {
            return SourceMappingCheck.problems(limits.es(), definition).stream()
                    .map(problem -> {
                        int colon = problem.indexOf(": ");
                        return colon < 0
                                ? new ConfigProblem("unique_counts." + definition.name(), problem, Optional.empty())
                                : new ConfigProblem(
                                        problem.substring(0, colon), problem.substring(colon + 2), Optional.empty());
                    })
                    .toList();
        } catch (IOException e) {
            throw ApiErrors.unavailable("the mapping of " + definition.source(), e);
        }
    }

    private Optional<JsonNode> file(EntryKey key) {
        return limits.uniqueCounts().file(key.name()).map(UniqueCountChanges::settings);
    }

    private static JsonNode settings(UniqueCountDefinition definition) {
        return EsJson.JSON.valueToTree(UniqueCountDocuments.describe(definition));
    }

    /**
     * {@code {name, result, origin, version, settings}} of what is in force now, with the written version in
     * {@code ETag}; after a delete that leaves nothing, {@code kept_index} says what to remove by hand.
     */
    private static ApiResponse answer(EntryKey key, EntryWrites.Written written, Optional<JsonNode> inForce) {
        ObjectNode body = EsJson.JSON.createObjectNode();
        body.put("name", key.name());
        body.put("result", written.result());
        if (inForce.isPresent()) {
            body.put("origin", written.version().isPresent() ? "runtime" : "file");
            body.put("version", written.version().map(Version::text).orElse(Version.FILE));
            body.set("settings", inForce.get());
        } else {
            body.put("kept_index", UvIndex.PREFIX + key.name());
        }
        ApiResponse response = ApiResponse.json(written.result().equals("created") ? 201 : 200, body);
        return response.withHeader("ETag", Version.etag(written.version()));
    }
}
