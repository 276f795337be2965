package io.sketchgate.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.config.ConfigProblem;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.es.EsJson;
import io.sketchgate.policy.LimitRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Roles and user overrides as the quotas API shows them: what is in force, where it comes from ({@code file} or
 * {@code runtime}), its version for {@code If-Match}, and the file's value under a run-time change.
 */
public final class EntryViews {
    private EntryViews() {}

    /** The file's settings of an entry, in the file's key names; empty when the file does not define it. */
    public static Optional<Map<String, Object>> fileSettings(LimitRules base, EntryKey key) {
        if (key.kind() == EntryKey.Kind.ROLE) {
            return base.roles().role(key.name()).map(LimitDocuments::describe);
        }
        return base.overrideOrigin(key.name()).map(o -> LimitDocuments.describe(base.overrides(key.name())));
    }

    /**
     * One entry: {@code kind, name, source, version, settings, values{key: {value, source}}, file, updated_by,
     * updated_at}; {@code file} only when a run-time change hides the file's value.
     */
    public static ObjectNode entry(
            EntryKey key, Optional<RuntimeLimits.Entry> stored, Optional<Map<String, Object>> file) {
        ObjectNode node = EsJson.JSON.createObjectNode();
        node.put("kind", key.kind().wireName());
        node.put("name", key.name());
        String source = stored.isPresent() ? LimitRules.Origin.RUNTIME.wireName() : LimitRules.Origin.FILE.wireName();
        node.put("source", source);
        node.put("version", stored.map(e -> e.version().text()).orElse(Version.FILE));
        Map<String, Object> settings = stored.map(RuntimeLimits.Entry::settings).orElseGet(() -> file.orElse(Map.of()));
        node.set("settings", EsJson.JSON.valueToTree(settings));
        ObjectNode values = node.putObject("values");
        settings.forEach((k, v) -> {
            ObjectNode value = values.putObject(k);
            value.set("value", EsJson.JSON.valueToTree(v));
            value.put("source", source);
        });
        if (stored.isPresent()) {
            file.ifPresent(f -> node.set("file", EsJson.JSON.valueToTree(f)));
            node.put("updated_by", stored.get().updatedBy());
            node.put("updated_at", stored.get().updatedAt());
        }
        return node;
    }

    public static ObjectNode invalid(RuntimeLimits.Invalid invalid) {
        ObjectNode node = EsJson.JSON.createObjectNode();
        node.put("id", invalid.id());
        node.put("version", invalid.version().text());
        node.put("status", "invalid");
        ArrayNode problems = node.putArray("problems");
        for (ConfigProblem problem : invalid.problems()) {
            ObjectNode item = problems.addObject();
            item.put("key", problem.key());
            problem.value().ifPresentOrElse(v -> item.put("value", v), () -> item.putNull("value"));
            item.put("reason", problem.reason());
        }
        return node;
    }

    /** {@code GET /_sketchgate/quotas}: every role and user override, the invalid documents and the store's state. */
    public static ObjectNode all(RuntimeLimits limits) {
        RuntimeLimits.State state = limits.state();
        LimitRules base = limits.base();
        ObjectNode root = EsJson.JSON.createObjectNode();
        for (EntryKey.Kind kind : List.of(EntryKey.Kind.ROLE, EntryKey.Kind.USER)) {
            Set<String> names = new LinkedHashSet<>(
                    kind == EntryKey.Kind.ROLE
                            ? base.roles().roles().keySet()
                            : base.userOverrides().keySet());
            state.stored().keySet().stream().filter(k -> k.kind() == kind).forEach(k -> names.add(k.name()));
            ObjectNode section = root.putObject(kind.plural());
            for (String name : names) {
                EntryKey key = new EntryKey(kind, name);
                section.set(name, entry(key, Optional.ofNullable(state.stored().get(key)), fileSettings(base, key)));
            }
        }
        ArrayNode invalid = root.putArray("invalid");
        state.invalid().forEach(i -> invalid.add(invalid(i)));
        ObjectNode store = root.putObject("store");
        store.put("index", limits.settings().index());
        store.put("status", state.status().available() ? "available" : "unavailable");
        state.status().lastError().ifPresent(e -> store.put("last_error", e));
        state.status().lastRead().ifPresent(t -> store.put("last_read", t.toString()));
        store.put(
                "poll_interval",
                io.sketchgate.config.Durations.format(limits.settings().pollInterval()));
        return root;
    }

    static List<String> kinds() {
        return List.of(EntryKey.Kind.ROLE.plural(), EntryKey.Kind.USER.plural());
    }
}
