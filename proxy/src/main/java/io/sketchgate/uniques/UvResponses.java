package io.sketchgate.uniques;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sketchgate.api.ApiResponse;
import io.sketchgate.es.EsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

    /**
     * Written field by field into the response's bytes, no tree first: an hourly question split by country over 12
     * days has 4,335 rows, and a tree of them cost about 0.2 µs a row more (A/B in benchmarks/README.md).
     */
    static ApiResponse json(UvRequest request, UvAnswer answer, long tookMillis) {
        ByteArrayOutputStream bytes =
                new ByteArrayOutputStream(512 + 160 * answer.rows().size());
        try (JsonGenerator json = EsJson.JSON.getFactory().createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("definition", request.definition().name());
            json.writeStringField("from", format(request, request.from()));
            json.writeStringField("to", format(request, request.to()));
            json.writeStringField("interval", request.interval());
            json.writeStringField("time_zone", request.zone().getId());
            json.writeObjectFieldStart("total");
            counts(json, answer.overall());
            if (!request.split().isEmpty()) {
                json.writeArrayFieldStart("splits");
                for (UvAnswer.Row row : answer.totals()) {
                    json.writeStartObject();
                    split(json, request, row);
                    counts(json, row.count());
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
            json.writeArrayFieldStart("buckets");
            Map<UvQuestion.TimeSlice, String> keys = keys(request);
            for (UvAnswer.Row row : answer.rows()) {
                json.writeStartObject();
                json.writeStringField("key", keys.get(row.slice().orElseThrow()));
                counts(json, row.count());
                json.writeStringField("source", row.count().source().wireName());
                if (!request.split().isEmpty()) {
                    split(json, request, row);
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            if (answer.watermark().isPresent()) {
                json.writeStringField("watermark", answer.watermark().get().toString());
            } else {
                json.writeNullField("watermark");
            }
            json.writeNumberField("took_ms", tookMillis);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // into memory: not expected
        }
        return new ApiResponse(200, "application/json", bytes.toByteArray(), Map.of());
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

    private static void counts(JsonGenerator json, UvCount count) throws IOException {
        json.writeNumberField("uv", count.uv());
        json.writeNumberField("uv_lower", count.uvLower());
        json.writeNumberField("uv_upper", count.uvUpper());
        json.writeBooleanField("exact", count.exact());
        json.writeNumberField("pv", count.pv());
    }

    private static void split(JsonGenerator json, UvRequest request, UvAnswer.Row row) throws IOException {
        json.writeObjectFieldStart("split");
        for (String dimension : request.split()) {
            json.writeStringField(dimension, row.split().get(dimension));
        }
        json.writeEndObject();
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
