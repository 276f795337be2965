package io.sketchgate.uniques;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.es.EsJson;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link UvAnswer} as the UV API's JSON ({@code definition, from, to, interval, time_zone, total,
 * buckets, watermark, took_ms}) or CSV (a header row, one row per bucket and split value, then the totals with
 * key {@code total}).
 */
final class UvResponses {
    private UvResponses() {}

    static ApiResponse render(UvRequest request, UvAnswer answer, long tookMillis) {
        return request.format() == UvRequest.Format.CSV ? csv(request, answer) : json(request, answer, tookMillis);
    }

    static ApiResponse json(UvRequest request, UvAnswer answer, long tookMillis) {
        ObjectNode body = EsJson.JSON.createObjectNode();
        body.put("definition", request.definition().name());
        body.put("from", format(request, request.from()));
        body.put("to", format(request, request.to()));
        body.put("interval", request.interval());
        body.put("time_zone", request.zone().getId());
        ObjectNode total = counts(body.putObject("total"), answer.overall());
        if (!request.split().isEmpty()) {
            ArrayNode splits = total.putArray("splits");
            for (UvAnswer.Row row : answer.totals()) {
                ObjectNode entry = splits.addObject();
                split(entry, request, row);
                counts(entry, row.count());
            }
        }
        ArrayNode buckets = body.putArray("buckets");
        Map<UvQuestion.TimeSlice, String> keys = keys(request);
        for (UvAnswer.Row row : answer.rows()) {
            ObjectNode bucket = buckets.addObject();
            bucket.put("key", keys.get(row.slice().orElseThrow()));
            counts(bucket, row.count());
            bucket.put("source", row.count().source().wireName());
            if (!request.split().isEmpty()) {
                split(bucket, request, row);
            }
        }
        if (answer.watermark().isPresent()) {
            body.put("watermark", answer.watermark().get().toString());
        } else {
            body.putNull("watermark");
        }
        body.put("took_ms", tookMillis);
        return ApiResponse.json(200, body);
    }

    static ApiResponse csv(UvRequest request, UvAnswer answer) {
        StringBuilder text = new StringBuilder("key");
        request.split().forEach(dimension -> text.append(',').append(cell(dimension)));
        text.append(",uv,uv_lower,uv_upper,exact,pv,source\r\n");
        Map<UvQuestion.TimeSlice, String> keys = keys(request);
        for (UvAnswer.Row row : answer.rows()) {
            line(text, keys.get(row.slice().orElseThrow()), request.split(), row);
        }
        for (UvAnswer.Row row : answer.totals()) {
            line(text, "total", request.split(), row);
        }
        return ApiResponse.text(200, "text/csv; charset=utf-8", text.toString());
    }

    private static void line(StringBuilder text, String key, List<String> split, UvAnswer.Row row) {
        text.append(cell(key));
        split.forEach(dimension -> text.append(',').append(cell(row.split().getOrDefault(dimension, ""))));
        UvCount count = row.count();
        text.append(',')
                .append(count.uv())
                .append(',')
                .append(count.uvLower())
                .append(',')
                .append(count.uvUpper())
                .append(',')
                .append(count.exact())
                .append(',')
                .append(count.pv())
                .append(',')
                .append(count.source().wireName())
                .append("\r\n");
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled. */
    private static String cell(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static ObjectNode counts(ObjectNode node, UvCount count) {
        node.put("uv", count.uv());
        node.put("uv_lower", count.uvLower());
        node.put("uv_upper", count.uvUpper());
        node.put("exact", count.exact());
        node.put("pv", count.pv());
        return node;
    }

    private static void split(ObjectNode node, UvRequest request, UvAnswer.Row row) {
        ObjectNode values = node.putObject("split");
        request.split().forEach(dimension -> values.put(dimension, row.split().get(dimension)));
    }

    /** Each bucket's key, formatted once: a split question has a row per bucket and split value (40 x 25). */
    private static Map<UvQuestion.TimeSlice, String> keys(UvRequest request) {
        Map<UvQuestion.TimeSlice, String> keys = new HashMap<>();
        request.buckets().forEach(bucket -> keys.put(bucket.slice(), format(request, bucket.key())));
        return keys;
    }

    private static String format(UvRequest request, Instant instant) {
        return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(instant.atZone(request.zone()));
    }
}
