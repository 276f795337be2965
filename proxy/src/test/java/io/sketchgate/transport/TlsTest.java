package io.sketchgate.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.sketchgate.config.ClientTlsConfig;
import io.sketchgate.config.ElasticsearchConfig;
import io.sketchgate.config.ListenerConfig;
import io.sketchgate.config.ListenersConfig;
import io.sketchgate.config.ServerTlsConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import io.sketchgate.testing.ProxyUnderTest;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** TLS on a listener and to the upstream, with certificates the test generates. */
class TlsTest {
    private static SelfSignedCertificate certificate;
    private static HttpsServer upstream;

    @BeforeAll
    static void startHttpsUpstream() throws Exception {
        certificate = new SelfSignedCertificate("localhost");
        upstream = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
        upstream.createContext("/", ex -> {
            byte[] body = "{\"tls\":true}".getBytes();
            ex.getResponseHeaders().add("X-elastic-product", "Elasticsearch");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
    }

    @AfterAll
    static void stop() {
        upstream.stop(0);
        certificate.delete();
    }

    @Test
    void httpsListener_andHttpsUpstream_carryTheRequestEndToEnd() throws Exception {
        URI esUri = URI.create("https://localhost:" + upstream.getAddress().getPort());
        SketchgateConfig config = withTls(
                esUri, new ClientTlsConfig(Optional.of(certificate.certificate().toPath()), true));
        try (ProxyServer proxy = ProxyServer.start(config)) {
            HttpResponse<String> response = getOverTls(proxy, "/_cluster/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"tls\":true}");
        }
    }

    @Test
    void upstreamCertificateForAnotherHost_isRefused_whenHostnameVerificationIsOn() throws Exception {
        URI byIp = URI.create("https://127.0.0.1:" + upstream.getAddress().getPort()); // certificate says localhost
        SketchgateConfig config = withTls(
                byIp, new ClientTlsConfig(Optional.of(certificate.certificate().toPath()), true));
        try (ProxyServer proxy = ProxyServer.start(config)) {
            HttpResponse<String> response = getOverTls(proxy, "/");
            assertThat(response.statusCode()).isEqualTo(502);
        }
    }

    @Test
    void untrustedUpstreamCertificate_isRefused() throws Exception {
        URI esUri = URI.create("https://localhost:" + upstream.getAddress().getPort());
        SketchgateConfig config = withTls(esUri, new ClientTlsConfig(Optional.empty(), true)); // JDK trust store only
        try (ProxyServer proxy = ProxyServer.start(config)) {
            HttpResponse<String> response = getOverTls(proxy, "/");
            assertThat(response.statusCode()).isEqualTo(502);
        }
    }

    private static SketchgateConfig withTls(URI esUri, ClientTlsConfig clientTls) throws Exception {
        SketchgateConfig base =
                ProxyUnderTest.forElasticsearch(esUri).shortTimeouts().config();
        ServerTlsConfig serverTls = new ServerTlsConfig(
                certificate.certificate().toPath(), certificate.privateKey().toPath());
        return new SketchgateConfig(
                base.source(),
                new ListenersConfig(new ListenerConfig("127.0.0.1", 0, Optional.of(serverTls)), Optional.empty()),
                new ElasticsearchConfig(
                        List.of(esUri),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(clientTls),
                        base.elasticsearch().healthCheckInterval()),
                base.limits(),
                base.accessLog());
    }

    /** GET over HTTPS from a client that trusts the test certificate. */
    private static HttpResponse<String> getOverTls(ProxyServer proxy, String path) throws Exception {
        return trustingClient()
                .send(
                        HttpRequest.newBuilder(URI.create("https://localhost:"
                                        + proxy.elasticsearchAddress().getPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext sslContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("key", certificate.key(), new char[0], new Certificate[] {certificate.cert()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static HttpClient trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", certificate.cert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).build();
    }
}
