package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sketchgate.testing.IndexNames;
import io.sketchgate.testing.ProxyUnderTest;
import io.sketchgate.testing.RealElasticsearch;
import io.sketchgate.testing.SketchgateProcess;
import io.sketchgate.testing.TestElasticsearch;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.elasticsearch.client.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 250 MB search response streams through a proxy process whose heap (and so its direct memory) is capped
 * at 48 MB: buffering it would fail with OutOfMemoryError.
 */
@RealElasticsearch
class LargeResponseTest {
    private static final int DOCS = 2_500;
    private static final int DOC_BYTES = 100_000;

    @Test
    void quarterGigabyteResponse_streamsThroughAProxyWith48MbHeap(TestElasticsearch es, @TempDir Path dir)
            throws Exception {
        String index = IndexNames.unique(LargeResponseTest.class);
        load(es, index);
        int port = freePort();
        Path config = ProxyUnderTest.forElasticsearch(es.baseUri())
                .port(port)
                .yaml("access_log: { enabled: false }")
                .write(dir);
        Path log = dir.resolve("proxy.log");
        Process proxy = SketchgateProcess.start(
                List.of("-Xmx48m", "-XX:+ExitOnOutOfMemoryError"), log, "run", "--config", config.toString());
        try {
            awaitListening(port, proxy, log);
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(
                                            "http://127.0.0.1:" + port + "/" + index + "/_search?size=" + DOCS))
                                    .timeout(Duration.ofMinutes(2))
                                    .build(),
                            HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            long[] bytesAndHits = countBytesAndHits(response.body());
            assertThat(bytesAndHits[0]).isGreaterThan(240L * 1000 * 1000);
            assertThat(bytesAndHits[1]).isEqualTo(DOCS);
            assertThat(proxy.isAlive()).as(Files.readString(log)).isTrue();
        } finally {
            proxy.destroy();
            proxy.waitFor(20, TimeUnit.SECONDS);
            proxy.destroyForcibly();
        }
    }

    private static void load(TestElasticsearch es, String index) throws IOException {
        es.requests().createIndex(index, """
                {"settings":{"number_of_shards":1,"number_of_replicas":0},
                 "mappings":{"properties":{"blob":{"type":"keyword","index":false,"doc_values":false}}}}""");
        byte[] alphabet =
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".getBytes(StandardCharsets.US_ASCII);
        byte[] blob = new byte[DOC_BYTES];
        Random random = new Random(42);
        for (int i = 0; i < blob.length; i++) {
            blob[i] = alphabet[random.nextInt(alphabet.length)];
        }
        String text = new String(blob, StandardCharsets.US_ASCII);
        for (int batch = 0; batch < DOCS / 100; batch++) {
            StringBuilder body = new StringBuilder(110 * DOC_BYTES);
            for (int i = 0; i < 100; i++) {
                int n = batch * 100 + i;
                body.append("{\"index\":{\"_id\":\"").append(n).append("\"}}\n");
                body.append("{\"n\":")
                        .append(n)
                        .append(",\"blob\":\"")
                        .append(text, n % 1000, DOC_BYTES)
                        .append(text, 0, n % 1000)
                        .append("\"}\n");
            }
            Request bulk = new Request("POST", "/" + index + "/_bulk");
            bulk.setJsonEntity(body.toString());
            es.client().performRequest(bulk);
        }
        es.requests().refresh(index);
    }

    /** Streams the JSON without keeping it: total bytes and the number of hits. */
    private static long[] countBytesAndHits(InputStream body) throws IOException {
        CountingStream counting = new CountingStream(body);
        long hits = 0;
        try (JsonParser parser = new JsonFactory().createParser(counting)) {
            int depth = 0;
            boolean inHits = false;
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && "_id".equals(parser.currentName())) {
                    hits++;
                }
                if (token == JsonToken.VALUE_STRING && "blob".equals(parser.currentName())) {
                    parser.getTextLength(); // forces the value to be read, without keeping it
                }
            }
        }
        return new long[] {counting.count, hits};
    }

    private static void awaitListening(int port, Process proxy, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!proxy.isAlive()) {
                throw new AssertionError("proxy exited: " + Files.readString(log));
            }
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("proxy did not listen: " + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final class CountingStream extends java.io.FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
