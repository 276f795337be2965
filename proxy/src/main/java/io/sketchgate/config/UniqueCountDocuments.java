package io.sketchgate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Unique-count definitions that arrive as JSON (the admin API, documents stored in Elasticsearch), read by the
 * file's own reader: the document, with {@code name} from the path, is placed as the only entry of
 * {@code unique_counts:} and handed to {@link UniqueCountsConfig}, as {@link LimitDocuments} does for roles. So a
 * value the file refuses is refused here with the same words.
 *
 * <p>Problems are keyed {@code unique_counts.NAME.KEY} (not the file's {@code unique_counts[0].KEY}): a document
 * has no position in a list, and the mapping check ({@code io.sketchgate.uniques.SourceMappingCheck}) names keys
 * the same way.
 */
public final class UniqueCountDocuments {
    private static final String FILE_PREFIX = "unique_counts[0]";

    private UniqueCountDocuments() {}

    /**
     * A definition as one entry of {@code unique_counts:} would define it.
     *
     * @param body the JSON object as plain Java values; a {@code name} in it must equal {@code name}
     */
    public static LimitDocuments.Read<UniqueCountDefinition> definition(String name, Object body) {
        LoadContext context = LoadContext.literal(LimitDocuments.SOURCE);
        Object entry = body;
        List<ConfigProblem> extra = new ArrayList<>();
        if (body instanceof Map<?, ?> map) {
            Map<String, Object> withName = new LinkedHashMap<>();
            withName.put("name", name);
            map.forEach((k, v) -> {
                if (!"name".equals(k)) {
                    withName.put(String.valueOf(k), v);
                } else if (!name.equals(v)) {
                    extra.add(new ConfigProblem(
                            prefix(name) + ".name",
                            "comes from the path and must be \"" + name + "\" or left out, was \"" + v + "\"",
                            Optional.of(String.valueOf(v))));
                }
            });
            entry = withName;
        }
        ConfigSection root = LimitDocuments.root(context, LimitDocuments.singleton("unique_counts", List.of(entry)));
        UniqueCountsConfig read = UniqueCountsConfig.read(root, "unique_counts");
        List<ConfigProblem> problems = new ArrayList<>(extra);
        context.problems().forEach(p -> problems.add(new ConfigProblem(rekey(p.key(), name), p.reason(), p.value())));
        if (!problems.isEmpty()) {
            return new LimitDocuments.Read<>(Optional.empty(), problems);
        }
        return LimitDocuments.result(context, read.definition(name));
    }

    /** A definition in the shape {@link #definition} reads (without {@code name}), in the file's key spellings. */
    public static Map<String, Object> describe(UniqueCountDefinition definition) {
        Map<String, Object> tree = definition.toYamlTree();
        tree.remove("name");
        return tree;
    }

    private static String prefix(String name) {
        return "unique_counts." + name;
    }

    private static String rekey(String key, String name) {
        if (key.equals("unique_counts")) {
            return prefix(name); // the entry itself: not a map
        }
        return key.startsWith(FILE_PREFIX) ? prefix(name) + key.substring(FILE_PREFIX.length()) : key;
    }
}
