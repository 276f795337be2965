package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.JsonNode;
import io.sketchgate.config.UniqueCountDefinition;
import io.sketchgate.config.UniqueCountsConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The unique-count definitions in force: the config file's, with the ones stored through the admin API laid over
 * them ({@code io.sketchgate.runtime.RuntimeUniqueCounts} replaces the snapshot after each read of the store). The
 * one source that the UV API, the Kibana rewrite and {@link UniqueCountService} read.
 *
 * <p>The snapshot is immutable and sits behind a volatile field: readers on the request path take it without a
 * lock, a refresh swaps it whole, and a request sees one consistent set of definitions. Subscribers (the service,
 * which starts and stops tailers) are told of every swap on the thread that made it.
 */
public final class UniqueCountDefinitions implements Supplier<UniqueCountsConfig> {
    /**
     * Where a definition in force comes from: {@code file} (version {@code file}) or {@code runtime}, with the
     * stored document's version ({@code SEQNO:TERM}, for {@code If-Match}) and who stored it when.
     */
    public record Origin(String source, String version, Optional<String> updatedBy, Optional<String> updatedAt) {
        public static final Origin FILE = new Origin("file", "file", Optional.empty(), Optional.empty());

        public Origin {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * One set of definitions in force.
     *
     * @param invalid stored documents that were skipped, as the admin API shows them ({@code id, version, status,
     *                problems})
     */
    public record Snapshot(UniqueCountsConfig config, Map<String, Origin> origins, List<JsonNode> invalid) {
        public Snapshot {
            Objects.requireNonNull(config, "config");
            origins = Map.copyOf(origins);
            invalid = List.copyOf(invalid);
        }

        public Origin origin(String name) {
            return origins.getOrDefault(name, Origin.FILE);
        }
    }

    private final UniqueCountsConfig file;
    private final List<Consumer<UniqueCountsConfig>> subscribers = new CopyOnWriteArrayList<>();
    private volatile Snapshot current;

    public UniqueCountDefinitions(UniqueCountsConfig file) {
        this.file = Objects.requireNonNull(file, "file");
        this.current = new Snapshot(file, Map.of(), List.of());
    }

    /** The definitions in force now. Lock-free. */
    @Override
    public UniqueCountsConfig get() {
        return current.config();
    }

    public Snapshot snapshot() {
        return current;
    }

    /** The config file's definitions alone: the base that stored ones override. */
    public UniqueCountsConfig file() {
        return file;
    }

    /**
     * The file's definitions with {@code stored} over them: a stored one replaces the file's of the same name in
     * place, the others follow in {@code stored}'s order.
     */
    public static UniqueCountsConfig overlay(UniqueCountsConfig file, Map<String, UniqueCountDefinition> stored) {
        Map<String, UniqueCountDefinition> merged = new LinkedHashMap<>();
        file.definitions().forEach(d -> merged.put(d.name(), stored.getOrDefault(d.name(), d)));
        stored.forEach(merged::putIfAbsent);
        return new UniqueCountsConfig(List.copyOf(merged.values()));
    }

    /** Swaps in {@code next} and tells the subscribers when the definitions changed. */
    public void replace(Snapshot next) {
        Snapshot previous = current;
        current = Objects.requireNonNull(next, "next");
        if (!previous.config().equals(next.config())) {
            subscribers.forEach(s -> s.accept(next.config()));
        }
    }

    /** {@code subscriber} is called with the new definitions after each swap that changed them. */
    public void subscribe(Consumer<UniqueCountsConfig> subscriber) {
        subscribers.add(subscriber);
    }
}
