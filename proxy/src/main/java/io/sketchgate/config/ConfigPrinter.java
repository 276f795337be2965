package io.sketchgate.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The resolved config as YAML in the file's own key names, defaults filled in and secrets masked.
 * The output loads back to the same config, except that secrets read as {@code ******}.
 */
public final class ConfigPrinter {
    private ConfigPrinter() {}

    public static String toYaml(SketchgateConfig config) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(2);
        options.setIndentWithIndicator(true);
        options.setWidth(200);
        return "# " + config.source() + ", with defaults filled in and secrets masked\n"
                + new Yaml(options).dump(config.toYamlTree());
    }
}
