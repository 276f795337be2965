package io.sketchgate.transport;

import java.time.Instant;

/**
 * One line of the access log. {@code upstream} is null and {@code upstreamMillis} -1 when Sketchgate
 * answered itself; status 499 means the client went away first.
 */
record AccessLogEntry(
        Instant time,
        String listener,
        String client,
        String user,
        String method,
        String path,
        int status,
        long bytesIn,
        long bytesOut,
        String upstream,
        long upstreamMillis,
        long totalMillis,
        String decision) {}
