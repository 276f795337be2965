package io.sketchgate.cli;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code sketchgate demo} prints once it is ready: where things are, the users and their passwords, and
 * examples that each work as printed, in an order that tells a story (a rewritten Lens search, a refusal, the UV
 * API, a quota change). A comment line ending in {@code -> NNN} states the status of the refusal that follows;
 * {@code DemoExamplesTest} runs every {@code curl} line and holds the banner to it.
 */
final class DemoBanner {
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/@%+=,-]+");

    private final String base;
    private final String indexPattern;
    private final DemoUsers users;
    private final Instant dataEnd;

    /** {@code dataEnd}: the exclusive end of the sample, on a whole hour. */
    DemoBanner(InetSocketAddress proxy, String indexPattern, DemoUsers users, Instant dataEnd) {
        this.base = "http://" + proxy.getHostString() + ":" + proxy.getPort();
        this.indexPattern = indexPattern;
        this.users = users;
        this.dataEnd = dataEnd;
    }

    void print(
            PrintWriter out,
            Optional<InetSocketAddress> kibanaListener,
            URI upstream,
            boolean kibanaLines,
            String esVersion) {
        out.println();
        out.printf("Sketchgate proxy:      %s  ->  Elasticsearch %s%n", base, upstream);
        kibanaListener.ifPresent(address ->
                out.printf("Kibana listener:       http://%s:%d%n", address.getHostString(), address.getPort()));
        out.printf("Access log:            %s%n", Path.of("logs/access.jsonl").toAbsolutePath());
        out.println();
        out.println("Users (static identity source; passwords made for this run, --password sets admin's):");
        DemoUsers.User admin = users.admin();
        DemoUsers.User alice = users.analyst();
        DemoUsers.User bob = users.secondAnalyst();
        out.printf("  %-6s %s  role %s: the admin API and page%n", admin.name(), admin.password(), admin.role());
        out.printf(
                "  %-6s %s  role %s: at most %s per search on %s, %d requests a minute%n",
                alice.name(),
                alice.password(),
                alice.role(),
                DemoConfig.MAX_TIME_RANGE,
                indexPattern,
                DemoConfig.REQUESTS_PER_MINUTE);
        out.printf("  %-6s %s  role %s, the same limits as alice%n", bob.name(), bob.password(), bob.role());
        out.println();
        out.printf("Admin page:            %s/_sketchgate/ui/  (log in as %s)%n", base, admin.name());
        out.println();
        Instant today = dataEnd.truncatedTo(ChronoUnit.DAYS);
        String week = lensSearch(today.minus(Duration.ofDays(7)), today);
        String month = lensSearch(today.minus(Duration.ofDays(30)), today);
        out.println("Try (each command works as printed):");
        out.printf("  # A Kibana Lens search: unique users per day over 7 whole days, answered from the unique counts"
                + " (X-Sketchgate-Source: unique-counts)%n");
        out.printf("  curl -si %s %s%n", login(alice), search(week));
        out.printf(
                "  # The same search over 30 days: refused, over the %s max_time_range of role %s -> 400%n",
                DemoConfig.MAX_TIME_RANGE, alice.role());
        out.printf("  curl -s %s %s%n", login(alice), search(month));
        out.println("  # Unique users and page views from the UV API (docs/uv-api.md)");
        String uv = base + "/_sketchgate/uv/" + DemoConfig.DEFINITION;
        out.printf("  curl -s %s '%s?from=now-7d/d&to=now/d&interval=1d&time_zone=Asia/Seoul'%n", login(alice), uv);
        out.printf("  curl -s %s '%s?from=now-30d&interval=1w&split=country&filter.device=mobile'%n", login(admin), uv);
        out.printf("  curl -s %s '%s?from=now-1d&interval=1h&split=device&format=csv'%n", login(admin), uv);
        out.println(
                "  # A quota change through the admin API, in force from the next request: bob's 7-day search works,");
        out.printf("  curl -s -o /dev/null -w '%%{http_code}\\n' %s %s%n", login(bob), search(week));
        out.println("  # the admin lowers bob's max_time_range to 1d,");
        String bobsQuota = base + "/_sketchgate/quotas/users/" + bob.name();
        out.printf(
                "  curl -s %s -X PUT '%s' -H 'Content-Type: application/json' -d '{\"max_time_range\":\"1d\"}'%n",
                login(admin), bobsQuota);
        out.println("  # and bob's next search is refused -> 400");
        out.printf("  curl -s %s %s%n", login(bob), search(week));
        out.println("  # Undo the change (the admin page's Quotas tab shows and edits the same)");
        out.printf("  curl -s %s -X DELETE '%s'%n", login(admin), bobsQuota);
        if (kibanaLines) {
            out.println();
            printKibanaLines(out, esVersion);
        }
        out.println();
        out.println("Press Ctrl-C to stop (proxy first, then Elasticsearch).");
        out.flush();
    }

    /**
     * The kibana.yml lines for a local Kibana of the same version. Kibana then sends every request as alice (the
     * demo's Elasticsearch has no security of its own, so there is no per-user login in Kibana): her 7-day limit
     * shows in Lens, and her unique counts are answered from the sketches.
     */
    void printKibanaLines(PrintWriter out, String esVersion) {
        DemoUsers.User alice = users.analyst();
        out.printf(
                "kibana.yml for a local Kibana %s (Kibana then searches as %s, role %s):%n",
                esVersion, alice.name(), alice.role());
        out.printf("  elasticsearch.hosts: [\"%s\"]%n", base);
        out.printf("  elasticsearch.username: \"%s\"%n", alice.name());
        out.printf("  elasticsearch.password: \"%s\"%n", alice.password());
        out.printf(
                "In Kibana, create a data view for %s with time field @timestamp; a Lens chart of \"Unique count of"
                        + " user_id\" per day is answered from the unique counts.%n",
                indexPattern);
    }

    /** A Lens search as Kibana 8 sends it for an absolute range: {@code lte} the last millisecond. */
    String lensSearch(Instant from, Instant to) {
        return "{\"aggs\":{\"0\":{\"date_histogram\":{\"field\":\"@timestamp\",\"calendar_interval\":\"1d\","
                + "\"time_zone\":\"UTC\"},\"aggs\":{\"1\":{\"cardinality\":{\"field\":\"user_id\"}}}}},\"size\":0,"
                + "\"query\":{\"bool\":{\"must\":[],\"filter\":[{\"range\":{\"@timestamp\":{"
                + "\"format\":\"strict_date_optional_time\",\"gte\":\"" + from + "\",\"lte\":\""
                + to.minusMillis(1) + "\"}}}],\"should\":[],\"must_not\":[]}}}";
    }

    private String search(String body) {
        return "-H 'Content-Type: application/json' '" + base + "/" + indexPattern + "/_search' -d '" + body + "'";
    }

    private static String login(DemoUsers.User user) {
        String credentials = user.name() + ":" + user.password();
        return "-u " + (SHELL_SAFE.matcher(credentials).matches() ? credentials : quote(credentials));
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
