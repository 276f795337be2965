package io.sketchgate.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code sketchgate demo}: embedded Elasticsearch, sample data, proxy up. */
@Command(name = "demo", description = "Start Elasticsearch, load sample web logs and run the proxy in front of it.")
public final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
