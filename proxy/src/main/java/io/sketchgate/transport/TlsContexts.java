package io.sketchgate.transport;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sketchgate.config.ClientTlsConfig;
import io.sketchgate.config.ServerTlsConfig;
import java.util.Optional;
import javax.net.ssl.SSLException;

/** SSL contexts from configuration: TLS 1.2/1.3 only, hostname verification on unless turned off. */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsContexts() {}

    public static SslContext server(ServerTlsConfig config) throws SSLException {
        return SslContextBuilder.forServer(
                        config.certificate().toFile(), config.key().toFile())
                .protocols(PROTOCOLS)
                .build();
    }

    public static SslContext client(Optional<ClientTlsConfig> config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient().protocols(PROTOCOLS);
        boolean verifyHostname = config.map(ClientTlsConfig::verifyHostname).orElse(true);
        builder.endpointIdentificationAlgorithm(verifyHostname ? "HTTPS" : null);
        config.flatMap(ClientTlsConfig::certificateAuthorities).ifPresent(ca -> builder.trustManager(ca.toFile()));
        return builder.build();
    }
}
