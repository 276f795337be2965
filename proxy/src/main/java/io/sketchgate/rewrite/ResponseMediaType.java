package io.sketchgate.rewrite;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Content-Type} Elasticsearch 8 gives a search response, as its {@code AbstractRestChannel} chooses it:
 * the media type of {@code Accept} with its parameters; without one (or {@code *}{@code /*}), the request's
 * {@code Content-Type} reduced to its canonical type, JSON (checked against Elasticsearch 8.19 by
 * {@code KibanaRewriteOnePassTest}). The official clients (Kibana's among them) send
 * {@code application/vnd.elasticsearch+json; compatible-with=8} and get the same media type back, written without
 * the space. Media types Sketchgate does not write (YAML, CBOR, Smile, another compatible version, a list) are not
 * rewritten.
 */
public final class ResponseMediaType {
    public static final String JSON = "application/json";
    public static final String VENDOR_JSON_8 = "application/vnd.elasticsearch+json;compatible-with=8";

    private ResponseMediaType() {}

    /** The response's content type, or empty when Elasticsearch would answer in a format Sketchgate cannot write. */
    public static Optional<String> of(String accept, String contentType) {
        if (accept != null && !accept.isBlank() && !accept.trim().equals("*/*")) {
            return json(accept);
        }
        if (contentType != null && !contentType.isBlank()) {
            return json(contentType).map(type -> JSON);
        }
        return Optional.of(JSON);
    }

    private static Optional<String> json(String header) {
        if (header.contains(",")) {
            return Optional.empty();
        }
        String[] parts = header.split(";");
        String type = parts[0].trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "application/json", "application/x-ndjson" -> {
                return Optional.of(JSON);
            }
            case "application/vnd.elasticsearch+json", "application/vnd.elasticsearch+x-ndjson" -> {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                    if (parameter.equals("compatible-with=8")) {
                        return Optional.of(VENDOR_JSON_8);
                    }
                }
                return Optional.empty();
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}
