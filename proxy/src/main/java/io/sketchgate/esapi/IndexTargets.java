package io.sketchgate.esapi;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The indices a request names, before alias/wildcard resolution (see {@link IndexResolver}).
 *
 * <p>{@link Scope#ALL} for {@code /_search}, {@code /_all/_search}, {@code /* /_search} and an empty list;
 * {@link Scope#LISTED} otherwise. {@link Scope#BODY} (SQL, ES|QL) and {@link Scope#CONTINUATION}
 * (scroll, PIT, async ids) mean the path says nothing: policy reads the body or the registry.
 */
public record IndexTargets(Scope scope, List<IndexExpression> expressions) {

    public enum Scope {
        ALL,
        LISTED,
        BODY,
        CONTINUATION,
        NONE
    }

    private static final IndexTargets ALL = new IndexTargets(Scope.ALL, List.of());
    private static final IndexTargets BODY = new IndexTargets(Scope.BODY, List.of());
    private static final IndexTargets CONTINUATION = new IndexTargets(Scope.CONTINUATION, List.of());
    private static final IndexTargets NONE = new IndexTargets(Scope.NONE, List.of());

    public IndexTargets {
        expressions = List.copyOf(expressions);
    }

    public static IndexTargets all() {
        return ALL;
    }

    public static IndexTargets inBody() {
        return BODY;
    }

    public static IndexTargets continuation() {
        return CONTINUATION;
    }

    public static IndexTargets none() {
        return NONE;
    }

    public static IndexTargets listed(List<IndexExpression> expressions) {
        return new IndexTargets(Scope.LISTED, expressions);
    }

    public boolean isAll() {
        return scope == Scope.ALL;
    }

    /** Items on this cluster, in order (exclusions included: they refer to earlier wildcards). */
    public List<IndexExpression> local() {
        for (IndexExpression expression : expressions) {
            if (expression.isRemote()) {
                return expressions.stream().filter(e -> !e.isRemote()).toList();
            }
        }
        return expressions; // the usual case, on every governed request: no copy
    }

    /** {@code cluster:index} items; policy governs them by matching its patterns on the index part. */
    public List<IndexExpression> remote() {
        return expressions.stream().filter(IndexExpression::isRemote).toList();
    }

    @Override
    public String toString() {
        return switch (scope) {
            case LISTED -> expressions.stream().map(IndexExpression::canonical).collect(Collectors.joining(","));
            default -> scope.name();
        };
    }
}
