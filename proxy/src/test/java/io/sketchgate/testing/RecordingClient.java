package io.sketchgate.testing;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.client.methods.HttpRequestWrapper;
import org.elasticsearch.client.RestClient;

/** A client of a real node that records every request it sends ("METHOD uri"), to count requests on the wire. */
public final class RecordingClient implements AutoCloseable {
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final RestClient client;

    private RecordingClient(URI node, String droppedField) {
        this.client = RestClient.builder(HttpHost.create(node.toString()))
                .setHttpClientConfigCallback(http -> {
                    http.addInterceptorFirst((HttpRequestInterceptor) (request, context) ->
                            requests.add(request.getRequestLine().getMethod() + " "
                                    + request.getRequestLine().getUri()));
                    if (droppedField != null) {
                        http.addInterceptorFirst(droppingField(droppedField)); // before the recording one
                    }
                    return http;
                })
                .build();
    }

    /**
     * An interceptor that drops {@code field} from every comma-separated list of a request's parameters (an {@code
     * _mget}'s {@code _source}): documents read as an earlier release wrote them, without that field.
     */
    public static HttpRequestInterceptor droppingField(String field) {
        return (request, context) -> {
            if (request instanceof HttpRequestWrapper wrapper) {
                wrapper.setURI(URI.create(wrapper.getURI().toString().replace("%2C" + field, "")));
            }
        };
    }

    public static RecordingClient to(URI node) {
        return new RecordingClient(node, null);
    }

    /** A recording client whose requests go {@link #droppingField} {@code field}. */
    public static RecordingClient withoutField(URI node, String field) {
        return new RecordingClient(node, field);
    }

    public RestClient client() {
        return client;
    }

    /** The requests sent so far, oldest first; the live list, so a test can clear it. */
    public List<String> requests() {
        return requests;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
