package io.sketchgate.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.github.benmanes.caffeine.cache.Cache;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.sketchgate.caches.Caches;
import io.sketchgate.esapi.ClassifiedRequest;
import io.sketchgate.esapi.QueryEndpoint;
import io.sketchgate.http.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseListener;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code max_execution_time} for {@code _async_search}. The submit answers after {@code wait_for_completion_timeout}
 * (Kibana: 200 ms) while the search goes on running in Elasticsearch, so closing the connection at the deadline, as
 * for {@code _search}, stops nothing. Instead the deadline counts from the submit: when the submit's answer says the
 * search is still running, Sketchgate schedules {@code DELETE /_async_search/{id}} (which cancels it) at that instant,
 * and each {@code GET /_async_search/{id}} poll gets only the time left — at or after the deadline it is answered
 * {@code 400 sketchgate_execution_time_exception} without reaching Elasticsearch. A poll or submit answer saying the
 * search has finished cancels the scheduled DELETE (it would throw away the stored result); so does the owner's own
 * DELETE.
 *
 * <p>The DELETE is sent with Sketchgate's own credentials ({@code elasticsearch.username} / {@code api_key}); with
 * Elasticsearch security on they need the {@code cancel_task} cluster privilege to delete another user's search.
 * Deadlines are per instance, like ids (see {@link Ownership}).
 */
public final class AsyncSearchDeadlines {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncSearchDeadlines.class);
    private static final JsonFactory FACTORY = new JsonFactory();

    private record Deadline(Instant at, Verdict.ExecutionLimit limit, ScheduledFuture<?> delete) {}

    private final RestClient elasticsearch;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Cache<String, Deadline> deadlines = Caches.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofDays(1))
            .build();

    public AsyncSearchDeadlines(RestClient elasticsearch, ScheduledExecutorService scheduler, Clock clock) {
        this.elasticsearch = elasticsearch;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** The verdict for an async-search request, bound to its submit's deadline; other verdicts unchanged. */
    public Verdict apply(ClassifiedRequest request, Verdict verdict) {
        if (!(verdict instanceof Verdict.Allow allow)) {
            return verdict;
        }
        return switch (request.endpoint()) {
            case ASYNC_SEARCH_SUBMIT -> allow.executionLimit().isEmpty() ? allow : watchSubmit(allow, clock.instant());
            case ASYNC_SEARCH_GET -> request.pathId().map(id -> poll(id, allow)).orElse(allow);
            case ASYNC_SEARCH_DELETE -> {
                request.pathId().ifPresent(this::forget);
                yield allow;
            }
            default -> allow;
        };
    }

    /**
     * What {@link #apply} would answer, for explaining a request: a poll past its deadline is refused, an earlier
     * one gets the time left; nothing is scheduled, observed or forgotten.
     */
    public Verdict preview(ClassifiedRequest request, Verdict verdict) {
        if (verdict instanceof Verdict.Allow allow && request.endpoint() == QueryEndpoint.ASYNC_SEARCH_GET) {
            return request.pathId().map(id -> bounded(id, allow)).orElse(allow);
        }
        return verdict;
    }

    private Verdict.Allow watchSubmit(Verdict.Allow allow, Instant submitted) {
        Verdict.ExecutionLimit limit = allow.executionLimit().get();
        Instant at = submitted.plus(limit.duration());
        return observing(allow, head -> {
            if (head.id() == null) {
                return; // finished and not kept: nothing to stop
            }
            if (!head.running()) {
                return;
            }
            long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
            ScheduledFuture<?> delete =
                    scheduler.schedule(() -> delete(head.id(), limit), delay, TimeUnit.MILLISECONDS);
            deadlines.put(head.id(), new Deadline(at, limit, delete));
        });
    }

    private Verdict poll(String id, Verdict.Allow allow) {
        Verdict verdict = bounded(id, allow);
        if (verdict == allow || !(verdict instanceof Verdict.Allow bounded)) {
            return verdict;
        }
        return observing(bounded, head -> {
            if (!head.running()) {
                forget(id);
            }
        });
    }

    /** A poll bound to its submit's deadline: refused at or after it, else given the time left. */
    private Verdict bounded(String id, Verdict.Allow allow) {
        Deadline deadline = deadlines.getIfPresent(id);
        if (deadline == null) {
            return allow;
        }
        Duration left = Duration.between(clock.instant(), deadline.at());
        if (left.isNegative() || left.isZero()) {
            return new Verdict.Deny(
                    allow.user(),
                    "rejected: sketchgate_execution_time_exception, async search " + id,
                    deadline.limit().exceeded(),
                    java.util.Map.of());
        }
        return new Verdict.Allow(
                allow.user(),
                allow.decisionText()
                        .then(() -> ", " + left.toMillis() + "ms left of "
                                + deadline.limit().describe()),
                allow.body(),
                allow.responseHeaders(),
                Optional.of(new Verdict.ExecutionLimit(left, deadline.limit().describe())),
                allow.responseRewrite(),
                allow.firstBodyChunk(),
                allow.onFinished(),
                allow.uri(),
                allow.responsePrefix());
    }

    private void forget(String id) {
        Deadline removed = deadlines.asMap().remove(id);
        if (removed != null) {
            removed.delete().cancel(false);
        }
    }

    private void delete(String id, Verdict.ExecutionLimit limit) {
        if (deadlines.getIfPresent(id) == null) {
            return; // finished or deleted by its owner meanwhile
        }
        // the entry stays: later polls are answered 400 at the deadline, not 404 for a deleted search
        Request request = new Request("DELETE", "/_async_search/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
        elasticsearch.performRequestAsync(request, new ResponseListener() {
            @Override
            public void onSuccess(Response response) {
                LOG.info("async search {} deleted at its {}", id, limit.describe());
            }

            @Override
            public void onFailure(Exception exception) {
                // 404: it finished and expired meanwhile; anything else leaves it to its keep_alive
                LOG.warn("could not delete async search {} at its {}: {}", id, limit.describe(), exception.toString());
            }
        });
    }

    /** What the first bytes of an async-search response say: its id, and whether the search is still running. */
    record Head(String id, boolean running) {}

    static Head head(ByteBuf firstChunk) {
        String id = null;
        boolean running = false;
        try (JsonParser parser = FACTORY.createParser((InputStream) new ByteBufInputStream(firstChunk))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Head(null, false);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    break; // id and is_running come before the nested response
                }
                if (name.equals("id") && value == JsonToken.VALUE_STRING) {
                    id = parser.getText();
                } else if (name.equals("is_running")) {
                    running = value == JsonToken.VALUE_TRUE;
                }
            }
        } catch (IOException truncated) {
            // keep what was read
        }
        return new Head(id, running);
    }

    /** Adds an observer of the response's first bytes after any the permission already has (ownership's). */
    private static Verdict.Allow observing(Verdict.Allow allow, Consumer<Head> observer) {
        Consumer<ByteBuf> ours = chunk -> observer.accept(head(chunk.duplicate()));
        Consumer<ByteBuf> both = allow.firstBodyChunk()
                .map(first -> (Consumer<ByteBuf>) chunk -> {
                    first.accept(chunk.duplicate());
                    ours.accept(chunk);
                })
                .orElse(ours);
        return allow.observingFirstBodyChunk(both);
    }
}
