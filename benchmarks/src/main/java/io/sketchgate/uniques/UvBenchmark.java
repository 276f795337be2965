package io.sketchgate.uniques;

import io.sketchgate.demo.SampleWebLogs;
import io.sketchgate.demo.SampleWebLogsLoader;
import io.sketchgate.embedded.ElasticsearchVersion;
import io.sketchgate.embedded.EmbeddedElasticsearch;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.http.HttpHost;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The UV benchmark of issue 6, run by {@code benchmarks/uv/run.sh}: starts an embedded Elasticsearch, loads
 * deterministic sample web logs ending at the last UTC midnight (so every bucket is closed), and runs
 * {@link UvBenchmarkRun}. Everything it starts is stopped on exit.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.sketchgate.uniques.UvBenchmark [--events 10000000] [--reps 20]
 * </pre>
 */
@Command(
        name = "uv-benchmark",
        mixinStandardHelpOptions = true,
        description = "Precompute vs one composite scan, and the UV API vs ES cardinality, in one run.")
public final class UvBenchmark implements Callable<Integer> {

    @Option(
            names = "--events",
            defaultValue = "1000000",
            description = "Page views to generate (default: ${DEFAULT-VALUE}, the demo's).")
    long events;

    @Option(names = "--days", defaultValue = "60", description = "Days the data spans (default: ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--users", defaultValue = "200000", description = "User population (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--question-days",
            defaultValue = "60",
            description = "Days of the daily-UV question (default: ${DEFAULT-VALUE}).")
    int questionDays;

    @Option(
            names = "--reps",
            defaultValue = "20",
            description = "Timed rounds per question (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed rounds first (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(
            names = "--es-heap",
            defaultValue = "1g",
            description = "Heap of Elasticsearch (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--es-version", description = "Elasticsearch version (default: the build's).")
    String esVersion;

    @Option(
            names = "--es-dist",
            description = "The integ-test-zip or a directory holding it (default: proxy/target/es-dist, then ~/.m2).")
    Path esDist;

    @Option(
            names = "--summary-file",
            description = "Also write the summary rows, tab-separated, to this file (benchmarks/run-all).")
    Path summaryFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new UvBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SampleWebLogs logs = SampleWebLogs.builder()
                .seed(seed)
                .events(events)
                .days(days)
                .users(users)
                .end(closedEnd(Instant.now()))
                .build();
        String version = esVersion != null ? esVersion : ElasticsearchVersion.ofBuild();
        EmbeddedElasticsearch.Builder builder =
                EmbeddedElasticsearch.builder().version(version).nodes(1).heap(heap);
        if (esDist != null) {
            builder.searchPath(List.of(esDist));
        }
        long started = System.nanoTime();
        try (EmbeddedElasticsearch elasticsearch = builder.build()) {
            System.out.printf("Starting Elasticsearch %s (heap %s)...%n", version, heap);
            elasticsearch.start();
            URI uri = elasticsearch.httpUris().get(0);
            // a force merge of 30M events, or one composite page of them, takes longer than the client's default 30 s
            try (RestClient client = RestClient.builder(HttpHost.create(uri.toString()))
                    .setRequestConfigCallback(config ->
                            config.setSocketTimeout((int) Duration.ofMinutes(30).toMillis()))
                    .build()) {
                long loadStarted = System.nanoTime();
                new SampleWebLogsLoader(client, 0).load(logs, loaded -> {
                    if (loaded % 250_000 == 0) {
                        System.out.printf(Locale.ROOT, "Loading: %,d / %,d%n", loaded, logs.eventCount());
                    }
                });
                System.out.printf(
                        Locale.ROOT,
                        "Loaded %,d events in %.0f s%n",
                        logs.eventCount(),
                        (System.nanoTime() - loadStarted) / 1e9);
                // merged segments, as a month-old index would be: the scan and the ES side read the same segments
                client.performRequest(
                        new Request("POST", "/" + logs.indexPattern() + "/_forcemerge?max_num_segments=1"));
                UvBenchmarkRun.Result result = new UvBenchmarkRun(client, uri, System.out)
                        .run(logs, new UvBenchmarkRun.Settings("weblogs_uv", questionDays, repetitions, warmup));
                List<String> summary = UvBenchReport.print(result, System.out);
                if (summaryFile != null) {
                    Files.write(summaryFile, summary);
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%nTotal run time %.0f s (Elasticsearch start, load, measurements).%n",
                (System.nanoTime() - started) / 1e9);
        return 0;
    }

    /** The last UTC midnight at least an hour ago: every granule and UTC day of the data is closed. */
    static Instant closedEnd(Instant now) {
        return now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.DAYS);
    }
}
