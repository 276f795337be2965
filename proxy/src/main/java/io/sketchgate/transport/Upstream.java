package io.sketchgate.transport;

import io.sketchgate.api.UpstreamHealth;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** The nodes one listener forwards to, chosen round robin, preferring nodes that are up. */
public final class Upstream implements UpstreamHealth {
    private final String name;
    private final List<UpstreamNode> nodes;
    private final AtomicInteger next = new AtomicInteger();

    public Upstream(String name, List<URI> uris, int defaultPort) {
        this.name = name;
        List<UpstreamNode> list = new ArrayList<>();
        for (URI uri : uris) {
            list.add(new UpstreamNode(uri, defaultPort));
        }
        this.nodes = List.copyOf(list);
    }

    public String name() {
        return name;
    }

    @Override
    public List<UpstreamNode> nodes() {
        return nodes;
    }

    /** The next node to try that is not in {@code tried}: an up node if any, else a down one. */
    Optional<UpstreamNode> choose(Set<UpstreamNode> tried) {
        int start = Math.floorMod(next.getAndIncrement(), nodes.size());
        UpstreamNode fallback = null;
        for (int i = 0; i < nodes.size(); i++) {
            UpstreamNode node = nodes.get((start + i) % nodes.size());
            if (tried.contains(node)) {
                continue;
            }
            if (node.isUp()) {
                return Optional.of(node);
            }
            if (fallback == null) {
                fallback = node;
            }
        }
        return Optional.ofNullable(fallback);
    }

    @Override
    public boolean anyUp() {
        return nodes.stream().anyMatch(UpstreamNode::isUp);
    }

    public String describe() {
        return nodes.toString();
    }
}
