package io.sketchgate.benchmarks;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * The latency benchmarks' client: Apache HttpClient's classic, blocking API, which sends and reads on the calling
 * thread over a kept-alive connection. The JDK's {@code HttpClient} hands every exchange to its selector thread and
 * back, which cost about 0.3 ms a request on the 2-core benchmark machine, the same on both sides, and so hid how
 * close a sub-millisecond answer is to the round-trip floor. No compression, no retries, no redirects: each call is
 * one request on the wire.
 */
public final class BlockingHttp implements Closeable {
    /** A response's status, body and headers (names in lower case, first value of each). */
    public record Response(int status, String body, Map<String, String> headers) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    private final CloseableHttpClient client;

    public BlockingHttp(int timeoutMillis) {
        this.client = HttpClients.custom()
                .disableContentCompression()
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .setMaxConnPerRoute(4)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectTimeout(10_000)
                        .setSocketTimeout(timeoutMillis)
                        .build())
                .build();
    }

    public Response get(URI uri, Map<String, String> headers) throws IOException {
        return execute(new HttpGet(uri), headers);
    }

    /** A POST of a JSON body. */
    public Response post(URI uri, String json, Map<String, String> headers) throws IOException {
        HttpPost post = new HttpPost(uri);
        post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
        return execute(post, headers);
    }

    private Response execute(HttpRequestBase request, Map<String, String> headers) throws IOException {
        headers.forEach(request::setHeader);
        try (CloseableHttpResponse response = client.execute(request)) {
            String body = response.getEntity() == null
                    ? ""
                    : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            Map<String, String> names = new HashMap<>();
            for (Header header : response.getAllHeaders()) {
                names.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
            }
            return new Response(response.getStatusLine().getStatusCode(), body, names);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
