package io.sketchgate.testing;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.elasticsearch.client.RestClient;

/** A client of a real node that records every request it sends ("METHOD uri"), to count requests on the wire. */
public final class RecordingClient implements AutoCloseable {
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final RestClient client;

    private RecordingClient(URI node) {
        this.client = RestClient.builder(HttpHost.create(node.toString()))
                .setHttpClientConfigCallback(
                        http -> http.addInterceptorFirst((HttpRequestInterceptor) (request, context) ->
                                requests.add(request.getRequestLine().getMethod() + " "
                                        + request.getRequestLine().getUri())))
                .build();
    }

    public static RecordingClient to(URI node) {
        return new RecordingClient(node);
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
