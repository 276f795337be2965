package io.sketchgate.cli;

import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.server.ProxyServer;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sketchgate run}: load the config, start the proxy, serve until SIGTERM/SIGINT, stop gracefully. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Run the proxy until SIGTERM or Ctrl-C, then let in-flight requests finish" + " (limits.shutdown_grace).",
            "An invalid configuration prints every problem and exits 1."
        })
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    private ConfigFileOption config;

    @Override
    public Integer call() throws InterruptedException {
        Optional<SketchgateConfig> found = config.load();
        if (found.isEmpty() || !portsAreFree(found.get())) {
            return Main.EXIT_FAILED;
        }
        SketchgateConfig loaded = found.get();
        ProxyServer server;
        try {
            server = ProxyServer.start(loaded);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty rethrows bind failures undeclared; those are the user's to fix, not a bug worth a stack trace.
            if (e instanceof IOException) {
                config.err().println("Sketchgate could not start: " + e.getMessage());
            } else {
                LOG.error("Sketchgate could not start", e);
            }
            return Main.EXIT_FAILED;
        }
        LOG.info("Loaded {}", loaded.source());
        LOG.info(
                "Listening for Elasticsearch clients on {}, forwarding to {}",
                server.elasticsearchAddress(),
                loaded.elasticsearch().hosts());
        server.kibanaAddress()
                .ifPresent(address -> LOG.info(
                        "Listening for Kibana browsers on {}, forwarding to {}",
                        address,
                        loaded.listeners().kibana().orElseThrow().upstream()));
        config.main().stopSignal().runUntilStopped(() -> {
            LOG.info(
                    "Stopping; in-flight requests get up to {}", loaded.limits().shutdownGrace());
            server.close();
            LOG.info("Stopped");
        });
        return Main.EXIT_OK;
    }

    /** One line per busy listener port, naming the key that moves it, instead of a bind exception. */
    private boolean portsAreFree(SketchgateConfig loaded) {
        boolean free = true;
        String host = loaded.listeners().elasticsearch().host();
        int port = loaded.listeners().elasticsearch().port();
        Optional<String> busy = BusyPorts.busy(host, port);
        if (busy.isPresent()) {
            config.err()
                    .println(BusyPorts.message(
                            host, port, busy.get(), "set another listeners.elasticsearch.port in " + loaded.source()));
            free = false;
        }
        if (loaded.listeners().kibana().isPresent()) {
            String kibanaHost = loaded.listeners().kibana().get().host();
            int kibanaPort = loaded.listeners().kibana().get().port();
            busy = BusyPorts.busy(kibanaHost, kibanaPort);
            if (busy.isPresent()) {
                config.err()
                        .println(BusyPorts.message(
                                kibanaHost,
                                kibanaPort,
                                busy.get(),
                                "set another listeners.kibana.port in " + loaded.source()));
                free = false;
            }
        }
        return free;
    }
}
