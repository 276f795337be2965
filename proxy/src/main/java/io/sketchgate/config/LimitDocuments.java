package io.sketchgate.config;

import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Role definitions and user overrides that arrive as JSON (the admin API, documents stored in Elasticsearch), read
 * by exactly the code that reads them from the file: the document is placed where it would sit in a config file
 * ({@code roles.NAME} or {@code users.NAME.overrides}) and handed to {@link RolesConfig} or {@link UsersConfig}. So
 * a value the file refuses is refused here with the same words, and the two can never drift apart.
 *
 * <p>Values are taken literally: no {@code ${VAR}} substitution, so a request cannot read the environment.
 */
public final class LimitDocuments {
    static final String SOURCE = "<document>";

    private LimitDocuments() {}

    /** A document read: the value when it is valid, else every problem (never both). */
    public record Read<T>(Optional<T> value, List<ConfigProblem> problems) {
        public Read {
            problems = List.copyOf(problems);
            if (value.isPresent() == !problems.isEmpty()) {
                throw new IllegalArgumentException("a value or problems");
            }
        }

        public boolean valid() {
            return value.isPresent();
        }
    }

    /**
     * A role as {@code roles.NAME} of the file would define it.
     *
     * @param body the JSON object as plain Java values (maps, lists, strings, numbers, booleans, null)
     */
    public static Read<RoleConfig> role(String name, Object body) {
        LoadContext context = LoadContext.literal(SOURCE);
        ConfigSection root = root(context, Map.of("roles", singleton(name, body)));
        RolesConfig roles = RolesConfig.read(root.section("roles"));
        return result(context, roles.role(name));
    }

    /** A user's overrides, as {@code users.NAME.overrides} of the file would set them. */
    public static Read<LimitSettings> userOverrides(String user, Object body) {
        LoadContext context = LoadContext.literal(SOURCE);
        ConfigSection root = root(context, Map.of("users", singleton(user, singleton("overrides", body))));
        UsersConfig users = UsersConfig.read(root.section("users"));
        return result(context, users.user(user).map(UserConfig::overrides));
    }

    /** A role in the shape {@link #role} reads, with the file's key names and value spellings. */
    public static Map<String, Object> describe(RoleConfig role) {
        return role.toYamlTree();
    }

    /** Overrides in the shape {@link #userOverrides} reads. */
    public static Map<String, Object> describe(LimitSettings settings) {
        return settings.toYamlTree();
    }

    static <T> Read<T> result(LoadContext context, Optional<T> value) {
        List<ConfigProblem> problems = context.problems();
        if (!problems.isEmpty()) {
            return new Read<>(Optional.empty(), problems);
        }
        if (value.isEmpty()) { // defensive: a reader that drops an entry always reports why
            return new Read<>(Optional.empty(), List.of(new ConfigProblem("", "could not be read", Optional.empty())));
        }
        return new Read<>(value, List.of());
    }

    static Map<String, Object> singleton(String key, Object value) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(key, value);
        return map;
    }

    /**
     * The tree as SnakeYAML nodes, which is what the readers take: dumping plain values to YAML and composing
     * the text keeps every scalar's text as JSON spelled it ({@code 5}, {@code "31d"}, {@code true}).
     */
    static ConfigSection root(LoadContext context, Map<String, Object> tree) {
        String text = new Yaml().dump(tree);
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        Node node = new Yaml(options).compose(new StringReader(text));
        return ConfigSection.of(context, (MappingNode) node, "", 1);
    }
}
