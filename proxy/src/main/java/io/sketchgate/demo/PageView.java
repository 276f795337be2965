package io.sketchgate.demo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated page view.
 *
 * @param sequence position in the generated stream, from 0; also the document id (base 36), so a
 *                 retried bulk request cannot index an event twice
 */
public record PageView(
        long sequence,
        Instant timestamp,
        String userId,
        String country,
        String device,
        String url,
        int status,
        long bytes) {

    public String id() {
        return Long.toString(sequence, 36);
    }

    /** The document as indexed; field names match {@link SampleWebLogs#MAPPING}. */
    public Map<String, Object> toSource() {
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", timestamp.toString());
        source.put("user_id", userId);
        source.put("country", country);
        source.put("device", device);
        source.put("url", url);
        source.put("status", status);
        source.put("bytes", bytes);
        return source;
    }
}
