package io.sketchgate.testing;

import io.sketchgate.embedded.EmbeddedElasticsearch;
import java.io.IOException;
import java.net.URI;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * The single Elasticsearch node shared by the test JVM (see {@link RealElasticsearch}). Its client is
 * shared too: don't close it.
 */
public final class TestElasticsearch implements AutoCloseable {

    private final EmbeddedElasticsearch node;
    private final RestClient client;
    private final EsRequests requests;

    TestElasticsearch(EmbeddedElasticsearch node) {
        this.node = node;
        this.client = RestClient.builder(HttpHost.create(node.httpUris().get(0).toString()))
                .build();
        this.requests = new EsRequests(client);
    }

    static TestElasticsearch start() throws IOException, InterruptedException {
        return new TestElasticsearch(HarnessSettings.cluster(1).start());
    }

    /** {@code http://127.0.0.1:<port>}: where a proxy under test forwards to. */
    public URI baseUri() {
        return node.httpUris().get(0);
    }

    public RestClient client() {
        return client;
    }

    public EsRequests requests() {
        return requests;
    }

    /** {@code "8.19.7"}: what {@code -Des.version} chose. */
    public String version() {
        return node.version();
    }

    public int majorVersion() {
        return node.majorVersion();
    }

    /** The node's PID and log; for what the handle doesn't cover. */
    public EmbeddedElasticsearch embedded() {
        return node;
    }

    public String logTail(int lines) {
        return node.logTail(lines);
    }

    /** Called by JUnit when the test JVM's root store closes, i.e. once, after all tests. */
    @Override
    public void close() throws IOException {
        try {
            client.close();
        } finally {
            node.close();
        }
    }
}
