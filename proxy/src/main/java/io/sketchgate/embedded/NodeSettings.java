package io.sketchgate.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code elasticsearch.yml} of one node.
 *
 * <p>Elasticsearch rejects settings no installed module registers, and the {@code integ-test-zip}
 * carries only a handful of modules; so settings that belong to optional modules (geoip, ML) are
 * written only when that module is present in the home being run.
 */
final class NodeSettings {

    private NodeSettings() {}

    /**
     * @param transportPorts of every node of the cluster; a single entry means a single-node cluster
     */
    static Map<String, Object> forNode(
            Path home,
            String clusterName,
            List<String> nodeNames,
            int index,
            int httpPort,
            List<Integer> transportPorts,
            Path nodeDir,
            Map<String, String> extra) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cluster.name", clusterName);
        settings.put("node.name", nodeNames.get(index));
        settings.put("network.host", "127.0.0.1");
        settings.put("http.port", httpPort);
        settings.put("transport.port", transportPorts.get(index));
        settings.put("path.data", nodeDir.resolve("data").toString());
        settings.put("path.logs", nodeDir.resolve("logs").toString());
        if (nodeNames.size() == 1) {
            settings.put("discovery.type", "single-node");
        } else {
            settings.put(
                    "discovery.seed_hosts",
                    transportPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.toList()));
            settings.put("cluster.initial_master_nodes", nodeNames);
        }
        settings.put("xpack.security.enabled", false);
        // tests delete indices by wildcard
        settings.put("action.destructive_requires_name", false);
        // a nearly full shared disk must not turn indices read-only in the middle of a test
        settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
        if (Files.isDirectory(home.resolve("modules/ingest-geoip"))) {
            settings.put("ingest.geoip.downloader.enabled", false);
        }
        if (Files.isDirectory(home.resolve("modules/x-pack-ml"))) {
            settings.put("xpack.ml.enabled", false);
        }
        settings.putAll(extra);
        return settings;
    }

    static String toYaml(Map<String, Object> settings) {
        StringBuilder yaml =
                new StringBuilder("# Written by Sketchgate's EmbeddedElasticsearch; rewritten on every start.\n");
        settings.forEach((key, value) ->
                yaml.append(key).append(": ").append(yamlValue(value)).append('\n'));
        return yaml.toString();
    }

    private static String yamlValue(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(NodeSettings::yamlValue).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return '"' + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
