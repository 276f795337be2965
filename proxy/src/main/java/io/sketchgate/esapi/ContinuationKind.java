package io.sketchgate.esapi;

/** The ids Elasticsearch hands out that later requests refer to instead of naming indices. */
public enum ContinuationKind {
    SCROLL,
    PIT,
    ASYNC_SEARCH,
    SQL_CURSOR,
    SQL_ASYNC,
    EQL_ASYNC,
    ESQL_ASYNC
}
