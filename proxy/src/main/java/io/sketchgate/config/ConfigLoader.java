package io.sketchgate.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads one YAML file into a validated {@link SketchgateConfig}, reporting every problem at once.
 *
 * <p>Start reading here: the file is composed into SnakeYAML nodes (which keep line numbers), the root
 * map is wrapped in a {@link ConfigSection}, and each record's {@code read(ConfigSection)} takes its keys.
 * The environment is passed in rather than read, so tests can give any environment;
 * {@link #fromProcessEnvironment()} is the one place the process environment is read.
 */
public final class ConfigLoader {
    private static final int MAX_FILE_BYTES = 1024 * 1024;

    private final Map<String, String> environment;

    public ConfigLoader(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** A loader substituting {@code ${VAR}} from this process's environment. */
    public static ConfigLoader fromProcessEnvironment() {
        return new ConfigLoader(System.getenv());
    }

    public SketchgateConfig load(Path file) throws ConfigException {
        return load(file, readText(file));
    }

    /**
     * Reads YAML that is not in a file ({@code sketchgate demo} writes its own); {@code source} names it in every
     * message, as a file's path would.
     */
    public SketchgateConfig load(Path source, String text) throws ConfigException {
        Path file = source;
        Node root = parse(file, text);
        if (root == null) {
            throw problem(file + ": is empty; it needs at least elasticsearch.hosts"
                    + " (config/sketchgate.yml in the distribution documents every key)");
        }
        LoadContext context = new LoadContext(file, environment);
        if (!(root instanceof MappingNode map)) {
            throw problem(file + ":" + (root.getStartMark().getLine() + 1)
                    + ": must be a map of sections like \"elasticsearch:\", was a " + kind(root));
        }
        SketchgateConfig config = SketchgateConfig.read(file, ConfigSection.of(context, map, "", 1));
        context.finish();
        return config;
    }

    private static String readText(Path file) throws ConfigException {
        if (Files.isDirectory(file)) {
            throw problem(file + ": is a directory; give the path of a YAML file");
        }
        if (!Files.exists(file)) {
            throw problem(
                    file + ": no such file" + (file.isAbsolute() ? "" : " (looked for " + file.toAbsolutePath() + ")"));
        }
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw problem(file + ": is larger than 1mb; that is not a configuration file");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw problem(file + ": cannot be read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw problem(file + ": is not UTF-8 text");
        }
    }

    private static Node parse(Path file, String text) throws ConfigException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowRecursiveKeys(false);
        options.setMaxAliasesForCollections(50);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
            String context = "";
            Mark contextMark = e.getContextMark();
            if (e.getProblem() != null && e.getContext() != null && contextMark != null && contextMark != mark) {
                // SnakeYAML often notices a mistake lines after it was made: say where the broken construct began.
                context = " (" + oneLine(e.getContext()) + " that starts at line " + (contextMark.getLine() + 1)
                        + ", column " + (contextMark.getColumn() + 1) + ")";
            }
            String where =
                    mark == null ? file.toString() : file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
            throw problem(where + ": not valid YAML: " + oneLine(problem) + context);
        } catch (YAMLException e) {
            throw problem(file + ": not valid YAML: " + oneLine(e.getMessage()));
        }
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static String kind(Node node) {
        return switch (node.getNodeId()) {
            case sequence -> "list";
            case scalar -> "single value";
            default -> "map";
        };
    }

    private static ConfigException problem(String message) {
        return new ConfigException(List.of(message));
    }
}
