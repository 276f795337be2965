package io.sketchgate.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every error Sketchgate answers itself: its HTTP status, the {@code error.type} of Elasticsearch's error shape, and
 * when it is used. docs/errors.md is generated from this list ({@code ErrorCatalogueTest}); a type that is not here
 * is not answered by Sketchgate.
 *
 * <p>Statuses follow two rules: a refusal of what the user asked is a 4xx other than 401 (Kibana may end the session
 * on 401, which only identity answers), and Sketchgate never answers 5xx for a refusal (Kibana's client retries 5xx
 * and marks the node dead). 5xx means an upstream or Sketchgate itself failed.
 */
public enum ErrorType {
    // Identity and access
    UNAUTHENTICATED(
            401, "security_exception", "No credentials, or credentials that no configured identity source accepts."),
    FORBIDDEN(
            403,
            "security_exception",
            "An identified user may not do this: the admin API without sketchgate_admin, another user's scroll, PIT or"
                    + " async search, Kibana's internal indices without the Kibana role."),
    UNKNOWN_ROLE(
            403,
            "sketchgate_unknown_role_exception",
            "The user has a role that no roles: entry (file or run time) defines, so no limits can be chosen."),
    // Policy
    TIME_RANGE(
            400,
            "sketchgate_time_range_exception",
            "A query's time range is longer than the user's max_time_range and on_exceed is reject."),
    TIME_FILTER_REQUIRED(
            400,
            "sketchgate_time_filter_required_exception",
            "A query on an index with a time field has no bounded range on it and require_time_filter is on."),
    QUOTA(
            429,
            "sketchgate_quota_exception",
            "Requests per minute used up, the concurrency queue full or timed out, or the daily Elasticsearch time"
                    + " budget spent; Retry-After says when to try again."),
    EXECUTION_TIME(
            400,
            "sketchgate_execution_time_exception",
            "The upstream search ran longer than max_execution_time; Sketchgate cancelled it."),
    // What Sketchgate could not read (fails closed)
    ILLEGAL_ARGUMENT(
            400,
            "illegal_argument_exception",
            "A parameter or value is invalid: a UV API parameter, an audit or usage filter, an If-Match header, a"
                    + " time-range value, a malformed HTTP request."),
    PARSE(400, "parse_exception", "A body is not valid JSON, or a date in a range cannot be parsed."),
    PARSING(400, "parsing_exception", "A query body is not valid JSON or has a shape Elasticsearch would refuse."),
    MSEARCH_PARSE(
            400,
            "sketchgate_msearch_parse_exception",
            "An _msearch body is not newline-delimited JSON header/body pairs, or has an unsupported content type."),
    INDEX_EXPRESSION(400, "sketchgate_index_expression_exception", "A date-math index name is invalid."),
    INDEX_RESOLUTION(
            400,
            "sketchgate_index_resolution_exception",
            "Elasticsearch refused to resolve the request's index expression, so the policy cannot tell what it reads."),
    UNSUPPORTED_ENCODING(
            400,
            "sketchgate_unsupported_encoding_exception",
            "A governed request's Content-Encoding is not gzip, deflate or identity."),
    BODY_ENCODING(400, "sketchgate_body_encoding_exception", "A compressed body cannot be decompressed."),
    REQUEST_TOO_LARGE(
            413,
            "sketchgate_request_too_large_exception",
            "A governed request's body is larger than limits.max_body (decompressed)."),
    RESPONSE_TOO_LARGE(
            400,
            "sketchgate_response_too_large_exception",
            "A response Sketchgate must merge (an _msearch with refused searches put back) is larger than it can buffer."),
    VALIDATION(
            400,
            "sketchgate_validation_exception",
            "Admin API settings that the config file's own reader refuses; the reason lists every problem."),
    // Sketchgate's own API
    NOT_FOUND(
            404,
            "resource_not_found_exception",
            "No such role, user override, unique-count definition, audit entry or admin page asset."),
    CONTINUATION_NOT_FOUND(
            404,
            "search_context_missing_exception",
            "A scroll, PIT or async-search id that Sketchgate did not hand out, or that has expired."),
    ENDPOINT_NOT_FOUND(
            404, "sketchgate_endpoint_not_found_exception", "A path under /_sketchgate/ that has no endpoint."),
    METHOD_NOT_ALLOWED(
            405,
            "sketchgate_method_not_allowed_exception",
            "A method the /_sketchgate/ endpoint does not have; the reason lists those it has."),
    VERSION_CONFLICT(
            409,
            "version_conflict_engine_exception",
            "An admin write whose If-Match does not name the stored version."),
    // The HTTP connection
    REQUEST_TIMEOUT(
            408,
            "sketchgate_request_timeout_exception",
            "The request head did not arrive within limits.header_timeout."),
    URI_TOO_LONG(414, "too_long_http_line_exception", "The request line is longer than limits.max_initial_line."),
    HEADERS_TOO_LARGE(
            431, "too_long_http_header_exception", "The request headers are larger than limits.max_header_size."),
    TOO_MANY_CONNECTIONS(
            503,
            "sketchgate_too_many_connections_exception",
            "limits.max_connections client connections are open; the new one is answered and closed."),
    // Failures
    INTERNAL(
            500,
            "sketchgate_internal_exception",
            "Sketchgate itself failed (a bug): the error is logged with its stack trace, and the request is not forwarded."),
    STORE_UNAVAILABLE(
            503,
            "sketchgate_store_unavailable_exception",
            "The sketchgate-config index cannot be read or written, so a run-time change cannot be made."),
    UPSTREAM(502, "sketchgate_upstream_exception", "The connection to Elasticsearch broke while forwarding."),
    UPSTREAM_UNAVAILABLE(
            502,
            "sketchgate_upstream_unavailable_exception",
            "No Elasticsearch node could be reached (for the request, identity, or index resolution)."),
    UPSTREAM_TIMEOUT(
            504,
            "sketchgate_upstream_timeout_exception",
            "Elasticsearch did not start answering within limits.response_timeout.");

    private final HttpResponseStatus status;
    private final String type;
    private final String when;

    ErrorType(int status, String type, String when) {
        this.status = HttpResponseStatus.valueOf(status);
        this.type = type;
        this.when = when;
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The {@code error.type} Elasticsearch's clients and Kibana see. */
    public String type() {
        return type;
    }

    public String when() {
        return when;
    }

    /** This error, with the reason the user sees (say what to do). */
    public ProxyException exception(String reason) {
        return new ProxyException(status, type, reason);
    }
}
