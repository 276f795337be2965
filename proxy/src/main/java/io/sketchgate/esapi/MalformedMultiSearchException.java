package io.sketchgate.esapi;

/** An {@code _msearch} body Elasticsearch would reject as a whole; {@link #line()} is 1-based. */
public final class MalformedMultiSearchException extends RequestClassificationException {
    private final int line;

    public MalformedMultiSearchException(int line, String reason) {
        super("sketchgate_msearch_parse_exception", "line " + line + " of the _msearch body: " + reason);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
