package io.sketchgate.es;

import io.sketchgate.config.ClientTlsConfig;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/** Builds the REST client for Sketchgate's own calls: every configured node, its credentials, its TLS trust. */
public final class ElasticsearchClients {
    private ElasticsearchClients() {}

    public static RestClient create(ElasticsearchConfig config, Duration connectTimeout, Duration responseTimeout) {
        return create(config, connectTimeout, responseTimeout, new LongAdder());
    }

    /**
     * As {@link #create(ElasticsearchConfig, Duration, Duration)}, adding one to {@code sent} for every request the
     * client sends (retries on another node included): what Sketchgate's own work costs Elasticsearch, in calls.
     */
    public static RestClient create(
            ElasticsearchConfig config, Duration connectTimeout, Duration responseTimeout, LongAdder sent) {
        HttpHost[] hosts =
                config.hosts().stream().map(ElasticsearchClients::host).toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts)
                .setDefaultHeaders(authHeaders(config).toArray(Header[]::new))
                .setRequestConfigCallback(request -> request.setConnectTimeout((int) connectTimeout.toMillis())
                        .setSocketTimeout((int) responseTimeout.toMillis()));
        boolean https = config.hosts().stream().anyMatch(uri -> "https".equalsIgnoreCase(uri.getScheme()));
        SSLContext ssl = https ? sslContext(config.tls()) : null;
        boolean verifyHostname =
                config.tls().map(ClientTlsConfig::verifyHostname).orElse(true);
        builder.setHttpClientConfigCallback(http -> {
            http.addInterceptorFirst((HttpRequestInterceptor) (request, context) -> sent.increment());
            if (https) {
                http.setSSLContext(ssl);
                if (!verifyHostname) {
                    http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
                }
            }
            return http;
        });
        return builder.build();
    }

    static List<Header> authHeaders(ElasticsearchConfig config) {
        List<Header> headers = new ArrayList<>();
        config.apiKey()
                .map(Secret::value)
                .ifPresent(key -> headers.add(new BasicHeader("Authorization", "ApiKey " + key)));
        if (config.apiKey().isEmpty() && config.username().isPresent()) {
            String password = config.password().map(Secret::value).orElse("");
            String token = Base64.getEncoder()
                    .encodeToString((config.username().get() + ":" + password).getBytes(StandardCharsets.UTF_8));
            headers.add(new BasicHeader("Authorization", "Basic " + token));
        }
        return headers;
    }

    private static HttpHost host(URI uri) {
        int port = uri.getPort() > 0 ? uri.getPort() : 9200;
        return new HttpHost(uri.getHost(), port, uri.getScheme());
    }

    private static SSLContext sslContext(Optional<ClientTlsConfig> tls) {
        try {
            Optional<java.nio.file.Path> ca = tls.flatMap(ClientTlsConfig::certificateAuthorities);
            if (ca.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(ca.get())) {
                int i = 0;
                for (Certificate certificate :
                        CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trust.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "cannot load elasticsearch.tls.certificate_authorities: " + e.getMessage(), e);
        }
    }
}
