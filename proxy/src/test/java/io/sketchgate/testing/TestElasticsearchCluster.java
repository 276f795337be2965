package io.sketchgate.testing;

import io.sketchgate.embedded.EmbeddedElasticsearch;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * The two-node cluster shared by the test JVM (see {@link RealElasticsearchCluster}), with the means
 * to kill and restart its nodes. Clients are shared: don't close them.
 */
public final class TestElasticsearchCluster implements AutoCloseable {

    private static final Duration NODE_COUNT_TIMEOUT = Duration.ofSeconds(90);

    private final EmbeddedElasticsearch cluster;
    private final RestClient client;
    private final List<RestClient> nodeClients = new ArrayList<>();

    TestElasticsearchCluster(EmbeddedElasticsearch cluster) {
        this.cluster = cluster;
        this.client = RestClient.builder(cluster.httpUris().stream()
                        .map(uri -> HttpHost.create(uri.toString()))
                        .toArray(HttpHost[]::new))
                .build();
        for (URI uri : cluster.httpUris()) {
            nodeClients.add(RestClient.builder(HttpHost.create(uri.toString())).build());
        }
    }

    static TestElasticsearchCluster start() throws IOException, InterruptedException {
        return new TestElasticsearchCluster(HarnessSettings.cluster(2).start());
    }

    /** Round-robins over both nodes and skips a dead one for a while, like a production client. */
    public RestClient client() {
        return client;
    }

    /** Talks to node {@code index} only. */
    public RestClient nodeClient(int index) {
        return nodeClients.get(index);
    }

    public EsRequests requests() {
        return new EsRequests(client);
    }

    public EsRequests nodeRequests(int index) {
        return new EsRequests(nodeClients.get(index));
    }

    public List<URI> httpUris() {
        return cluster.httpUris();
    }

    public URI httpUri(int index) {
        return cluster.httpUris().get(index);
    }

    /** The PID of node {@code index}'s Elasticsearch server JVM. */
    public long pid(int index) {
        return cluster.node(index).pid();
    }

    public boolean isRunning(int index) {
        return cluster.node(index).isRunning();
    }

    /** SIGKILL to node {@code index}; returns once the process is gone (the survivor may not know yet). */
    public void kill(int index) throws InterruptedException {
        cluster.kill(index);
    }

    /** Graceful shutdown of node {@code index}. */
    public void stop(int index) throws InterruptedException {
        cluster.stop(index);
    }

    /** Starts node {@code index} again (same ports, same data); returns once the cluster has 2 nodes. */
    public void restart(int index) throws IOException, InterruptedException {
        cluster.restart(index);
    }

    /** The running node that is not the elected master: kill this one to keep a functional cluster. */
    public int nonMasterIndex() throws IOException, InterruptedException {
        return cluster.nonMasterIndex();
    }

    /** The elected master as node {@code askIndex} sees it. */
    public int masterIndex(int askIndex) throws IOException, InterruptedException {
        return cluster.masterIndex(askIndex);
    }

    /** Waits (up to 90 s) until node {@code askIndex} sees {@code count} nodes. */
    public void awaitNodeCount(int askIndex, int count) throws IOException, InterruptedException {
        cluster.awaitNodeCount(askIndex, count, NODE_COUNT_TIMEOUT);
    }

    public String version() {
        return cluster.version();
    }

    public int majorVersion() {
        return cluster.majorVersion();
    }

    public EmbeddedElasticsearch embedded() {
        return cluster;
    }

    public String logTail(int lines) {
        return cluster.logTail(lines);
    }

    /** Restarts nodes a test class left down, so the next class finds the cluster whole. */
    void heal() throws IOException, InterruptedException {
        for (int i = 0; i < cluster.nodes().size(); i++) {
            if (!cluster.node(i).isRunning()) {
                cluster.restart(i);
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            client.close();
            for (RestClient nodeClient : nodeClients) {
                nodeClient.close();
            }
        } finally {
            cluster.close();
        }
    }
}
