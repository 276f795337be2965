package io.sketchgate.esapi;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Elasticsearch's {@code GET /_resolve/index/<expr>} says an expression means (same shape in 7.17 and 8.x).
 *
 * @param indices     concrete indices the expression matched directly, with their aliases and attributes
 *                    ({@code open}, {@code closed}, {@code hidden}, {@code frozen}...) and data stream
 * @param aliases     alias name → the indices it points to (filtered aliases too: the filter narrows documents,
 *                    not indices, so policy treats them as their indices)
 * @param dataStreams data stream name → backing indices and timestamp field
 */
public record ResolvedIndices(
        List<Index> indices, Map<String, List<String>> aliases, Map<String, DataStream> dataStreams) {

    public record Index(String name, List<String> aliases, List<String> attributes, String dataStream) {
        public boolean isClosed() {
            return attributes.contains("closed");
        }

        public boolean isHidden() {
            return attributes.contains("hidden");
        }
    }

    public record DataStream(String name, List<String> backingIndices, String timestampField) {}

    public static final ResolvedIndices EMPTY = new ResolvedIndices(List.of(), Map.of(), Map.of());

    public ResolvedIndices {
        indices = List.copyOf(indices);
        aliases = Map.copyOf(aliases);
        dataStreams = Map.copyOf(dataStreams);
    }

    /** Every concrete index the request can read: direct matches, alias targets and backing indices. */
    public Set<String> concreteIndices() {
        Set<String> all = new TreeSet<>();
        indices.forEach(index -> all.add(index.name()));
        aliases.values().forEach(all::addAll);
        dataStreams.values().forEach(stream -> all.addAll(stream.backingIndices()));
        return all;
    }

    /**
     * Every name policy patterns may be written against: the concrete indices, the aliases and data streams
     * the expression named, and the data streams the matched backing indices belong to.
     */
    public Set<String> names() {
        Set<String> all = new TreeSet<>(concreteIndices());
        all.addAll(aliases.keySet());
        all.addAll(dataStreams.keySet());
        indices.stream().filter(index -> index.dataStream() != null).forEach(index -> all.add(index.dataStream()));
        return all;
    }
}
