package io.sketchgate.esapi;

import java.util.Map;
import java.util.Optional;

/**
 * A request as Elasticsearch's router would see it: the endpoint, the indices it names, the id a
 * continuation refers to in its path, and the URL parameters (decoded, last value wins).
 *
 * @param pathId the scroll/PIT/async id in the path ({@code /_async_search/{id}}, {@code /_search/scroll/{id}}),
 *               if any; a scroll or PIT id may also be in the body or parameters (see {@link ContinuationIds})
 */
public record ClassifiedRequest(
        String method,
        QueryEndpoint endpoint,
        RequestPath path,
        IndexTargets targets,
        Optional<String> pathId,
        Map<String, String> parameters) {

    public ClassifiedRequest {
        parameters = Map.copyOf(parameters);
    }

    /**
     * The body carried in the URL: {@code source} with {@code source_content_type}, which ES reads for any
     * method when the request has no body of its own ({@code RestRequest.contentOrSourceParam}). With a body
     * present ES rejects {@code source} as an unrecognised parameter. Without {@code source_content_type} ES
     * answers 400; the source is still returned so policy reads whatever might run.
     */
    public Optional<UrlBody> urlBody() {
        String source = parameters.get("source");
        if (source == null) {
            return Optional.empty();
        }
        return Optional.of(new UrlBody(source, Optional.ofNullable(parameters.get("source_content_type"))));
    }

    /**
     * The {@code q=} Lucene query. It never narrows the time span: policy treats a request carrying it as
     * unbounded unless the body bounds it.
     */
    public Optional<String> luceneQuery() {
        return Optional.ofNullable(parameters.get("q"));
    }

    /** The body of a GET request given in its URL. */
    public record UrlBody(String content, Optional<String> contentType) {}
}
