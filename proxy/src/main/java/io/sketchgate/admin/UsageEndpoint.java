package io.sketchgate.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.api.ApiHandler;
import io.sketchgate.api.ApiRequest;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.api.SketchgateApi;
import io.sketchgate.http.Identity;
import io.sketchgate.identity.IdentityException;
import io.sketchgate.policy.DailyBudgets;
import io.sketchgate.telemetry.UsageService;
import io.sketchgate.telemetry.UsageStore;
import java.io.IOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /_sketchgate/usage}: per-user usage series, totals and the top users by Elasticsearch time. Admins
 * may ask about anyone; other users about themselves only (no {@code user}, or their own, and no {@code role}).
 * The counts of this proxy not yet flushed are flushed first, so the answer includes the request just made.
 * The JSON shape is documented in docs/admin-api.md.
 */
public final class UsageEndpoint implements ApiHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_USERS = 1000;

    private final UsageService usage;
    /** Today's Elasticsearch time against each user's budget; empty when no policy runs. */
    private final Optional<DailyBudgets> budgets;

    private final InstantSource clock;

    public UsageEndpoint(UsageService usage, Optional<DailyBudgets> budgets, InstantSource clock) {
        this.usage = usage;
        this.budgets = budgets;
        this.clock = clock;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(ApiRequest request) {
        if (!request.method().equals("GET")) {
            throw SketchgateApi.methodNotAllowed(request, "GET");
        }
        UsageQuery asked = UsageQuery.parse(request, clock.instant());
        return request.caller().thenCompose(caller -> {
            UsageQuery query = permitted(caller, asked);
            return usage.onUsageThread(() -> {
                usage.flushNow(true);
                return ApiResponse.json(200, report(query));
            });
        });
    }

    /** An admin's query as asked; another user's narrowed to themselves, or refused. */
    private static UsageQuery permitted(Identity caller, UsageQuery query) {
        if (caller.isAdmin()) {
            return query;
        }
        if (caller.user().equals("-")) { // identity is off: no credentials could name anyone
            throw IdentityException.unauthenticated(
                    "Usage is counted per user, and Sketchgate identifies no one here: the identity section of"
                            + " sketchgate.yml is not set, so no usage is charged to anyone. Configure identity"
                            + " (docs/identity.md) and call again with credentials.");
        }
        boolean own = !caller.user().equals("-")
                && query.role().isEmpty()
                && query.user().map(caller.user()::equals).orElse(true);
        if (!own) {
            throw AdminAccess.forbidden(
                    caller,
                    "read the usage of other users",
                    "; without it, ask for your own usage only (no role parameter, user omitted or your own name)");
        }
        return new UsageQuery(
                Optional.of(caller.user()), Optional.empty(), query.from(), query.to(), query.interval(), query.top());
    }

    private ObjectNode report(UsageQuery query) throws IOException {
        List<String> codes = usage.store().rejectionCodes();
        JsonNode answer = usage.store().search(searchBody(query, codes));
        ObjectNode out = JSON.createObjectNode();
        out.put("from", query.from().toString());
        out.put("to", query.to().toString());
        out.put("interval", query.interval());
        query.user().ifPresent(u -> out.put("user", u));
        query.role().ifPresent(r -> out.put("role", r));
        ArrayNode users = out.putArray("users");
        List<ObjectNode> byEsTime = new ArrayList<>();
        for (JsonNode bucket : answer.path("aggregations").path("users").path("buckets")) {
            ObjectNode user = users.addObject();
            String name = bucket.path("key").asText();
            user.put("user", name);
            ArrayNode roles = user.putArray("roles");
            bucket.path("roles")
                    .path("buckets")
                    .forEach(r -> roles.add(r.path("key").asText()));
            user.set("totals", counts(bucket, codes));
            budget(name, roles).ifPresent(b -> user.set("budget_today", b));
            ArrayNode series = user.putArray("series");
            for (JsonNode point : bucket.path("series").path("buckets")) {
                ObjectNode entry = series.addObject();
                entry.put(
                        "start",
                        Instant.ofEpochMilli(point.path("key").asLong()).toString());
                entry.setAll(counts(point, codes));
            }
            byEsTime.add(user);
        }
        out.set("totals", counts(answer.path("aggregations"), codes));
        ArrayNode top = out.putArray("top_users");
        // the terms aggregation already orders users by Elasticsearch time, then name
        for (ObjectNode user : byEsTime.subList(0, Math.min(query.top(), byEsTime.size()))) {
            ObjectNode entry = top.addObject();
            entry.put("user", user.path("user").asText());
            entry.put("es_time_ms", user.path("totals").path("es_time_ms").asLong());
            entry.put("requests", user.path("totals").path("requests").asLong());
        }
        return out;
    }

    private Optional<ObjectNode> budget(String user, ArrayNode roleNodes) {
        Set<String> roles = new LinkedHashSet<>();
        roleNodes.forEach(r -> roles.add(r.asText()));
        roles.addAll(usage.recorder().rolesOf(user));
        return budgets.map(b -> b.today(user, roles)).map(today -> {
            ObjectNode b = JSON.createObjectNode();
            b.put("es_time_used_ms", today.used().toMillis());
            today.budget().ifPresent(d -> b.put("daily_es_time_budget_ms", d.toMillis()));
            today.remaining().ifPresent(d -> b.put("remaining_ms", d.toMillis()));
            return b;
        });
    }

    /** The counts of one aggregation level: fixed fields, then {@code rejections} by reason and their sum. */
    private static ObjectNode counts(JsonNode level, List<String> codes) {
        ObjectNode out = JSON.createObjectNode();
        for (String field : UsageStore.COUNT_FIELDS) {
            out.put(field, level.path(field).path("value").asLong());
        }
        ObjectNode rejections = JSON.createObjectNode();
        long rejected = 0;
        for (String code : codes) {
            long n = level.path("rejections." + code).path("value").asLong();
            if (n > 0) {
                rejections.put(code, n);
                rejected += n;
            }
        }
        out.put("rejected", rejected);
        out.set("rejections", rejections);
        return out;
    }

    private static ObjectNode searchBody(UsageQuery query, List<String> codes) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        ObjectNode range = filter.addObject().putObject("range").putObject("hour");
        range.put("gte", query.from().toString());
        range.put("lt", query.to().toString());
        query.user().ifPresent(u -> filter.addObject().putObject("term").put("user", u));
        query.role().ifPresent(r -> filter.addObject().putObject("term").put("roles", r));
        ObjectNode aggs = body.putObject("aggs");
        sums(aggs, codes);
        ObjectNode users = aggs.putObject("users");
        ObjectNode terms = users.putObject("terms");
        terms.put("field", "user");
        terms.put("size", MAX_USERS);
        ArrayNode order = terms.putArray("order");
        order.addObject().put("es_time_ms", "desc");
        order.addObject().put("_key", "asc");
        ObjectNode userAggs = users.putObject("aggs");
        sums(userAggs, codes);
        userAggs.putObject("roles").putObject("terms").put("field", "roles").put("size", 50);
        ObjectNode series = userAggs.putObject("series");
        ObjectNode histogram = series.putObject("date_histogram");
        histogram.put("field", "hour");
        histogram.put("fixed_interval", query.interval());
        histogram.put("min_doc_count", 0);
        ObjectNode bounds = histogram.putObject("extended_bounds");
        bounds.put("min", query.from().toEpochMilli());
        bounds.put("max", query.to().toEpochMilli() - 1);
        sums(series.putObject("aggs"), codes);
        return body;
    }

    private static void sums(ObjectNode aggs, List<String> codes) {
        for (String field : UsageStore.COUNT_FIELDS) {
            aggs.putObject(field).putObject("sum").put("field", field);
        }
        for (String code : codes) {
            aggs.putObject("rejections." + code).putObject("sum").put("field", "rejections." + code);
        }
    }
}
