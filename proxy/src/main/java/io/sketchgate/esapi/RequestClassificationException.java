package io.sketchgate.esapi;

/**
 * A request whose targets cannot be worked out (bad date math, malformed {@code _msearch}). Elasticsearch
 * would reject it too; policy answers 400 with {@link #type()} rather than forwarding what it cannot read.
 */
public class RequestClassificationException extends RuntimeException {
    private final String type;

    public RequestClassificationException(String type, String reason) {
        super(reason);
        this.type = type;
    }

    public String type() {
        return type;
    }

    public int status() {
        return 400;
    }
}
