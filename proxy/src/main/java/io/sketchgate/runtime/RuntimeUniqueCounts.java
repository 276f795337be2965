package io.sketchgate.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.ConfigProblem;
import io.sketchgate.config.LimitDocuments;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountDocuments;
import io.sketchgate.es.EsJson;
import io.sketchgate.uniques.UniqueCountDefinitions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The unique-count definitions stored through the admin API ({@code unique_count:NAME} documents of the config
 * index), laid over the file's and handed to {@link UniqueCountDefinitions} after each read of the store. Reads
 * the documents {@link RuntimeLimits} reads (one search per poll serves both), on its thread.
 *
 * <p>A document the file's reader refuses is reported once and skipped: the file's definition of that name, if
 * any, stays in force. When the store cannot be read, the definitions in force stay.
 */
public final class RuntimeUniqueCounts {
    /** A valid stored definition. */
    public record Entry(EntryKey key, Version version, UniqueCountDefinition definition) {}

    private final UniqueCountDefinitions definitions;
    private volatile Map<String, Entry> stored = Map.of();

    RuntimeUniqueCounts(UniqueCountDefinitions definitions) {
        this.definitions = definitions;
    }

    public UniqueCountDefinitions definitions() {
        return definitions;
    }

    /** The file's definition of {@code name}. */
    public Optional<UniqueCountDefinition> file(String name) {
        return definitions.file().definition(name);
    }

    /** The valid stored definition of {@code name} as of the last read. */
    public Optional<Entry> stored(String name) {
        return Optional.ofNullable(stored.get(name));
    }

    /**
     * Builds the definitions in force from every document of the store and swaps them in.
     *
     * @param report logs a skipped document once and returns it as listed
     */
    void read(
            List<ConfigStore.Stored> documents,
            BiFunction<ConfigStore.Stored, List<ConfigProblem>, RuntimeLimits.Invalid> report) {
        Map<String, Entry> valid = new LinkedHashMap<>();
        Map<String, UniqueCountDefinitions.Origin> origins = new LinkedHashMap<>();
        List<JsonNode> invalid = new ArrayList<>();
        List<ConfigStore.Stored> ours = documents.stream()
                .filter(d ->
                        d.key().map(k -> k.kind() == EntryKey.Kind.UNIQUE_COUNT).orElse(false))
                .sorted(Comparator.comparing(ConfigStore.Stored::id))
                .toList();
        for (ConfigStore.Stored document : ours) {
            EntryKey key = document.key().orElseThrow();
            LimitDocuments.Read<UniqueCountDefinition> read = UniqueCountDocuments.definition(
                    key.name(), EsJson.JSON.convertValue(document.settings(), Object.class));
            if (!read.valid()) {
                invalid.add(EntryViews.invalid(report.apply(document, read.problems())));
                continue;
            }
            valid.put(
                    key.name(), new Entry(key, document.version(), read.value().get()));
            origins.put(
                    key.name(),
                    new UniqueCountDefinitions.Origin(
                            "runtime",
                            document.version().text(),
                            Optional.of(document.source().path("updated_by").asText("-")),
                            Optional.of(document.source().path("updated_at").asText(""))));
        }
        Map<String, UniqueCountDefinition> overrides = new LinkedHashMap<>();
        valid.forEach((name, entry) -> overrides.put(name, entry.definition()));
        stored = Map.copyOf(valid);
        definitions.replace(new UniqueCountDefinitions.Snapshot(
                UniqueCountDefinitions.overlay(definitions.file(), overrides), origins, invalid));
    }
}
