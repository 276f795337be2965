package io.sketchgate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /_sketchgate/metrics}: admins may always scrape it; Prometheus servers, which rarely carry user
 * credentials, may scrape it without any from the addresses listed here. Nothing is open by default.
 *
 * @param unauthenticatedScrapeFrom client addresses (IPs or CIDR blocks) that may scrape without credentials
 */
public record MetricsConfig(List<AddressRange> unauthenticatedScrapeFrom) {
    public static final MetricsConfig DEFAULT = new MetricsConfig(List.of());

    public MetricsConfig {
        unauthenticatedScrapeFrom = List.copyOf(Objects.requireNonNull(unauthenticatedScrapeFrom));
    }

    /** Whether a client at {@code address} may scrape without credentials. */
    public boolean allowsUnauthenticated(String address) {
        for (AddressRange range : unauthenticatedScrapeFrom) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    static MetricsConfig read(ConfigSection section) {
        List<AddressRange> ranges = new ArrayList<>();
        for (ConfigValue item : section.list("unauthenticated_scrape_from")) {
            item.string().ifPresent(text -> {
                StringBuilder problem = new StringBuilder();
                AddressRange.parse(text, problem).ifPresentOrElse(ranges::add, () -> item.problem(problem.toString()));
            });
        }
        return new MetricsConfig(ranges);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put(
                "unauthenticated_scrape_from",
                unauthenticatedScrapeFrom.stream().map(AddressRange::toString).toList());
        return tree;
    }
}
