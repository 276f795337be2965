package io.sketchgate.uniques;

import io.sketchgate.config.UniqueCountDefinition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Which dimension values a question reads. Per dimension of the definition:
 * <ul>
 *   <li>split: every value, each its own row ({@code split} order gives the combination key);</li>
 *   <li>filtered, not split: the listed values, unioned into one row;</li>
 *   <li>neither: the rolled-up {@link BucketKey#ALL} documents, so no union over values is needed.</li>
 * </ul>
 * A combination is the list of the split dimensions' values, empty without split.
 */
final class DimensionSelection {
    private final UniqueCountDefinition definition;
    private final List<String> split;
    private final Map<String, Set<String>> filters;
    /** Per split dimension, its place among the definition's dimensions (a stored document's values). */
    private final int[] splitPlaces;
    /**
     * The rows' split maps by combination, made once per combination: a daily question split by country has a row
     * per day and country. A selection serves one question, on one thread at a time.
     */
    private final Map<List<String>, Map<String, String>> splitMaps = new HashMap<>();

    DimensionSelection(UniqueCountDefinition definition, List<String> split, Map<String, Set<String>> filters) {
        this.definition = definition;
        this.split = List.copyOf(split);
        this.filters = Map.copyOf(filters);
        this.splitPlaces =
                this.split.stream().mapToInt(definition.dimensions()::indexOf).toArray();
    }

    List<String> split() {
        return split;
    }

    Map<String, Set<String>> filters() {
        return filters;
    }

    /** The dimensions a source read groups by: the split ones first (their values are the combination), then the filtered. */
    List<String> sourceDimensions() {
        List<String> read = new ArrayList<>(split);
        for (String dimension : definition.dimensions()) {
            if (filters.containsKey(dimension) && !read.contains(dimension)) {
                read.add(dimension);
            }
        }
        return read;
    }

    /** The combination of a source row read with {@link #sourceDimensions()}. */
    List<String> combinationOfSourceRow(String[] values) {
        return List.of(values).subList(0, split.size());
    }

    /** Whether a document (or real-time sketch) with these values, one per definition dimension, is read. */
    boolean matchesStored(List<String> values) {
        List<String> dimensions = definition.dimensions();
        for (int i = 0; i < dimensions.size(); i++) {
            String dimension = dimensions.get(i);
            String value = values.get(i);
            Set<String> allowed = filters.get(dimension);
            if (allowed != null) {
                if (!allowed.contains(value)) {
                    return false;
                }
            } else if (split.contains(dimension) == value.equals(BucketKey.ALL)) {
                return false; // a split dimension needs its values, any other its roll-up
            }
        }
        return true;
    }

    /**
     * The values of the only stored documents read (one per definition dimension), when there is no split and
     * each filter names one value: a question then finds its document of a piece with one lookup.
     */
    Optional<List<String>> onlyStored() {
        if (!split.isEmpty()) {
            return Optional.empty();
        }
        List<String> values = new ArrayList<>(definition.dimensions().size());
        for (String dimension : definition.dimensions()) {
            Set<String> allowed = filters.get(dimension);
            if (allowed == null) {
                values.add(BucketKey.ALL);
            } else if (allowed.size() == 1) {
                values.add(allowed.iterator().next());
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(List.copyOf(values));
    }

    /**
     * The subset every document read belongs to ({@link DimensionSubsets#mask}): the split and filtered dimensions keep
     * their values, the others are rolled up; empty when a filter lists {@link BucketKey#ALL} itself, which documents
     * of other subsets match.
     */
    OptionalInt storedSubset() {
        int mask = 0;
        List<String> dimensions = definition.dimensions();
        for (int i = 0; i < dimensions.size(); i++) {
            Set<String> allowed = filters.get(dimensions.get(i));
            if (allowed != null && allowed.contains(BucketKey.ALL)) {
                return OptionalInt.empty();
            }
            if (allowed != null || split.contains(dimensions.get(i))) {
                mask |= 1 << i;
            }
        }
        return OptionalInt.of(mask);
    }

    /**
     * Whether a document of {@link #storedSubset()} is read: its split and rolled-up dimensions match by its subset,
     * so only the filters are left to check (none for a split chart).
     */
    boolean passesFilters(List<String> values) {
        if (filters.isEmpty()) {
            return true;
        }
        List<String> dimensions = definition.dimensions();
        for (int i = 0; i < dimensions.size(); i++) {
            Set<String> allowed = filters.get(dimensions.get(i));
            if (allowed != null && !allowed.contains(values.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The combination of a stored document's values (one per definition dimension). */
    List<String> combinationOfStored(List<String> values) {
        String[] combination = new String[splitPlaces.length];
        for (int i = 0; i < splitPlaces.length; i++) {
            combination[i] = values.get(splitPlaces[i]);
        }
        return List.of(combination);
    }

    /**
     * The stored-document constraint per dimension, for the search: {@code values} to match one of, or
     * {@code anyButAll} for a split dimension without filter.
     */
    Map<String, Constraint> storedConstraints() {
        Map<String, Constraint> constraints = new LinkedHashMap<>();
        for (String dimension : definition.dimensions()) {
            Set<String> allowed = filters.get(dimension);
            if (allowed != null) {
                constraints.put(dimension, new Constraint(allowed, false));
            } else if (split.contains(dimension)) {
                constraints.put(dimension, new Constraint(Set.of(), true));
            } else {
                constraints.put(dimension, new Constraint(Set.of(BucketKey.ALL), false));
            }
        }
        return constraints;
    }

    /** The split map of a row: dimension → value, in split order. */
    Map<String, String> splitMap(List<String> combination) {
        return splitMaps.computeIfAbsent(combination, c -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < split.size(); i++) {
                map.put(split.get(i), c.get(i));
            }
            return Collections.unmodifiableMap(map);
        });
    }

    record Constraint(Set<String> values, boolean anyButAll) {}
}
