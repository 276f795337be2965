package io.sketchgate.esapi;

import java.util.Optional;

/**
 * One comma-separated item of an index expression, after percent-decoding and date math.
 *
 * @param written   as the client wrote it (decoded), e.g. {@code -<logs-{now/d}>}
 * @param cluster   the remote cluster for {@code cluster:index}, empty for the local cluster
 * @param name      the index, alias, data stream or wildcard pattern, date math evaluated
 * @param exclusion {@code -name} after a wildcard: removes matches of earlier items (ES ignores the
 *                  meaning of {@code -} before any wildcard and looks for an index literally named so)
 */
public record IndexExpression(String written, Optional<String> cluster, String name, boolean exclusion) {

    public boolean isWildcard() {
        return name.indexOf('*') >= 0;
    }

    public boolean isRemote() {
        return cluster.isPresent();
    }

    public boolean isDateMath() {
        return !written.equals(name) && written.contains("<");
    }

    /** The item as Elasticsearch would be sent it again: {@code [-][cluster:]name}. */
    public String canonical() {
        return (exclusion ? "-" : "") + cluster.map(c -> c + ":").orElse("") + name;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
