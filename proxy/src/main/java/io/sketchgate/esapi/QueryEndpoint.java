package io.sketchgate.esapi;

/**
 * What a request asks Elasticsearch to do, as far as policy cares: one of the query endpoints, or
 * {@link #NOT_A_QUERY}. {@link #OTHER_QUERY} stands for APIs that read documents but whose body policy does
 * not understand (vector tiles, graph explore, fleet search, search applications, previews): they must be
 * treated as unbounded.
 */
public enum QueryEndpoint {
    SEARCH(Targets.PATH),
    MSEARCH(Targets.PATH),
    ASYNC_SEARCH_SUBMIT(Targets.PATH),
    ASYNC_SEARCH_GET(Targets.CONTINUATION),
    ASYNC_SEARCH_STATUS(Targets.CONTINUATION),
    ASYNC_SEARCH_DELETE(Targets.CONTINUATION),
    SEARCH_TEMPLATE(Targets.PATH),
    MSEARCH_TEMPLATE(Targets.PATH),
    RENDER_TEMPLATE(Targets.NONE),
    COUNT(Targets.PATH),
    VALIDATE_QUERY(Targets.PATH),
    EXPLAIN(Targets.PATH),
    FIELD_CAPS(Targets.PATH),
    TERMS_ENUM(Targets.PATH),
    /** {@code GET|POST /_search/scroll}: the next page of a scroll, bound to the search that opened it. */
    SCROLL(Targets.CONTINUATION),
    /** {@code DELETE /_search/scroll}. */
    SCROLL_CLEAR(Targets.CONTINUATION),
    PIT_OPEN(Targets.PATH),
    PIT_CLOSE(Targets.CONTINUATION),
    /** {@code /_sql}: indices are in the SQL text; a {@code cursor} body continues an earlier query. */
    SQL(Targets.BODY),
    SQL_TRANSLATE(Targets.BODY),
    SQL_CLOSE(Targets.CONTINUATION),
    SQL_ASYNC_GET(Targets.CONTINUATION),
    SQL_ASYNC_STATUS(Targets.CONTINUATION),
    SQL_ASYNC_DELETE(Targets.CONTINUATION),
    EQL_SEARCH(Targets.PATH),
    EQL_GET(Targets.CONTINUATION),
    EQL_STATUS(Targets.CONTINUATION),
    EQL_DELETE(Targets.CONTINUATION),
    /** {@code POST /_query} and {@code POST /_query/async}: ES|QL, indices in the {@code FROM} of the query text. */
    ESQL(Targets.BODY),
    ESQL_ASYNC_GET(Targets.CONTINUATION),
    ESQL_ASYNC_DELETE(Targets.CONTINUATION),
    KNN_SEARCH(Targets.PATH),
    DELETE_BY_QUERY(Targets.PATH),
    UPDATE_BY_QUERY(Targets.PATH),
    OTHER_QUERY(Targets.PATH),
    NOT_A_QUERY(Targets.NONE);

    /** Where the indices of a request to this endpoint come from. */
    public enum Targets {
        /** The path's first segment, or every index when the path names none. */
        PATH,
        /** The request body (SQL, ES|QL): policy must read the query text. */
        BODY,
        /** No indices: bound to the request that created the id (see {@link ContinuationRegistry}). */
        CONTINUATION,
        /** Touches no index data. */
        NONE
    }

    private final Targets targets;

    QueryEndpoint(Targets targets) {
        this.targets = targets;
    }

    public Targets targets() {
        return targets;
    }

    public boolean isQuery() {
        return this != NOT_A_QUERY;
    }

    /** Continuation endpoints refer to an id created by an earlier response. */
    public boolean isContinuation() {
        return targets == Targets.CONTINUATION;
    }
}
