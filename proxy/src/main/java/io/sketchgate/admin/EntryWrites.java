package io.sketchgate.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.es.EsJson;
import io.sketchgate.http.Identity;
import io.sketchgate.http.ProxyException;
import io.sketchgate.runtime.AuditLog;
import io.sketchgate.runtime.ConfigStore;
import io.sketchgate.runtime.EntryKey;
import io.sketchgate.runtime.RuntimeLimits;
import io.sketchgate.runtime.Version;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * One change of a stored entry, the way every admin endpoint makes it (quotas, unique-count definitions): checked
 * against {@code If-Match} by Elasticsearch itself, written or deleted in the config index, audited with the entry
 * before and after, and applied on this instance (a refresh) before it is acknowledged. Runs on
 * {@link RuntimeLimits}'s thread.
 */
final class EntryWrites {
    /** Attempts of a write without {@code If-Match} when another writer keeps winning the race. */
    private static final int UNCONDITIONAL_ATTEMPTS = 3;

    /** What a change did: the document before it, the written version (empty for a delete), and when. */
    record Written(Optional<ConfigStore.Stored> before, Optional<Version> version, String at) {
        /** {@code created}, {@code updated} or {@code deleted}. */
        String result() {
            return before.isEmpty() ? "created" : version.isPresent() ? "updated" : "deleted";
        }
    }

    private final RuntimeLimits limits;

    EntryWrites(RuntimeLimits limits) {
        this.limits = limits;
    }

    /**
     * Writes ({@code settings} present) or deletes the stored change of {@code key}, checked against
     * {@code expected}.
     *
     * @param file the config file's settings of the entry, for the audit and the messages; empty when the file
     *             does not define it
     */
    Written write(
            ApiRequest request,
            Identity caller,
            EntryKey key,
            Optional<JsonNode> settings,
            Optional<JsonNode> file,
            Optional<Version.Expected> expected) {
        try {
            limits.store().ensureIndex();
            limits.audit().ensureIndex();
            for (int attempt = 1; ; attempt++) {
                Optional<ConfigStore.Stored> current = limits.store().get(key);
                Optional<Version> currentVersion = current.map(ConfigStore.Stored::version);
                if (expected.isPresent() && !expected.get().version().equals(currentVersion)) {
                    throw conflict(key, expected.get(), currentVersion);
                }
                if (settings.isEmpty() && current.isEmpty()) {
                    throw ApiErrors.notFound("There is no run-time change of " + key.describe() + " to delete"
                            + (file.isPresent()
                                    ? "; the config file defines it, and only editing the file removes it."
                                    : "."));
                }
                String now = limits.clock().instant().toString();
                Optional<Version> written;
                try {
                    if (settings.isPresent()) {
                        written = Optional.of(limits.store()
                                .put(key, settings.get(), currentVersion, caller.user(), request.remoteAddress(), now));
                    } else {
                        limits.store().delete(key, currentVersion.get());
                        written = Optional.empty();
                    }
                } catch (ConfigStore.ConflictException lost) {
                    if (expected.isPresent() || attempt >= UNCONDITIONAL_ATTEMPTS) {
                        throw conflict(
                                key,
                                expected.orElse(new Version.Expected(
                                        currentVersion,
                                        currentVersion.map(Version::text).orElse(Version.FILE))),
                                lost.current());
                    }
                    continue; // no If-Match: someone wrote between our read and write; read again for the audit
                }
                JsonNode before = state(currentVersion, current.map(ConfigStore.Stored::settings), file);
                JsonNode after = state(written, written.isPresent() ? settings : Optional.empty(), file);
                limits.audit()
                        .append(new AuditLog.Entry(
                                now,
                                caller.user(),
                                List.copyOf(caller.roles()),
                                request.remoteAddress(),
                                request.method(),
                                request.path(),
                                key,
                                before,
                                after));
                limits.refresh();
                return new Written(current, written, now);
            }
        } catch (IOException e) {
            throw ApiErrors.unavailable(
                    "the run-time limits store (" + limits.settings().index() + ")", e);
        }
    }

    /**
     * {@code {source, version, settings}}: the stored change when there is one, else the file's entry, else null
     * (the entry does not exist). The shape of audit entries.
     */
    static JsonNode state(Optional<Version> stored, Optional<JsonNode> storedSettings, Optional<JsonNode> file) {
        if (stored.isEmpty() && file.isEmpty()) {
            return EsJson.JSON.nullNode();
        }
        ObjectNode node = EsJson.JSON.createObjectNode();
        node.put("source", stored.isPresent() ? "runtime" : "file");
        node.put("version", stored.map(Version::text).orElse(Version.FILE));
        node.set("settings", stored.isPresent() ? storedSettings.orElseThrow() : file.get());
        return node;
    }

    private static ProxyException conflict(EntryKey key, Version.Expected expected, Optional<Version> current) {
        String now = current.map(Version::text).orElse(Version.FILE);
        return new ProxyException(
                HttpResponseStatus.CONFLICT,
                ApiErrors.CONFLICT_TYPE,
                "The " + key.describe()
                        + " changed since version [" + expected.text() + "] (If-Match): the current version is [" + now
                        + "]"
                        + (current.isEmpty() ? " (no run-time change stored)" : "") + ". GET " + key.path()
                        + ", reapply your change and send it with If-Match: \"" + now + "\".");
    }

    /** The request's {@code If-Match}; 400 when it is not a version. */
    static Optional<Version.Expected> ifMatch(ApiRequest request) {
        String header = request.headers().get("If-Match");
        if (header == null) {
            return Optional.empty();
        }
        return Optional.of(Version.parseIfMatch(header)
                .orElseThrow(() -> ApiErrors.badRequest(
                        "illegal_argument_exception",
                        "If-Match must be a version as GET returns it in ETag, like \"7:1\", or \"file\" for an entry with no"
                                + " run-time change; was [" + header + "].")));
    }

    /**
     * The body as plain Java values; 400 when it is missing or not JSON.
     *
     * @param example a body to show in the message, like {@code {"max_time_range": "31d"}}
     */
    static Object jsonBody(ApiRequest request, String example) {
        if (!request.hasBody()) {
            throw ApiErrors.badRequest(
                    "parse_exception",
                    "The request needs a JSON object body with the settings," + " like " + example + ".");
        }
        try {
            JsonNode node = EsJson.JSON.readTree(request.body());
            return EsJson.JSON.convertValue(node, Object.class);
        } catch (JsonProcessingException e) {
            throw ApiErrors.badRequest(
                    "parse_exception",
                    "The request body is not valid JSON (" + io.sketchgate.http.JsonErrors.describe(e)
                            + "); send a JSON object with the settings.");
        } catch (IOException e) {
            throw ApiErrors.badRequest("parse_exception", "The request body cannot be read: " + e.getMessage());
        }
    }
}
