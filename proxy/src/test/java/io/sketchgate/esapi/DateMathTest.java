package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Date math and date formats, each row checked against what Elasticsearch's JavaDateMathParser yields. */
class DateMathTest {
    private static final Instant NOW = Instant.parse("2026-09-15T10:20:30.456Z"); // a Tuesday
    private static final String ISO = "strict_date_optional_time";
    private static final String DEFAULT = "strict_date_optional_time||epoch_millis";
    private static final boolean UP = true;
    private static final boolean DOWN = false;

    record Row(String expression, String format, boolean roundUp, String timeZone, String expected) {
        @Override
        public String toString() {
            return expression + " [" + format + (roundUp ? ", round up" : "")
                    + (timeZone == null ? "" : ", " + timeZone) + "] = " + expected;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("now", ISO, DOWN, null, "2026-09-15T10:20:30.456Z"),
                new Row("now", ISO, UP, null, "2026-09-15T10:20:30.456Z"),
                new Row("now/d", ISO, DOWN, null, "2026-09-15T00:00:00Z"),
                new Row("now/d", ISO, UP, null, "2026-09-15T23:59:59.999Z"),
                new Row("now-90d/d", ISO, DOWN, null, "2026-06-17T00:00:00Z"),
                new Row("now-1d/d", ISO, UP, null, "2026-09-14T23:59:59.999Z"),
                new Row("now/y", ISO, DOWN, null, "2026-01-01T00:00:00Z"),
                new Row("now/y", ISO, UP, null, "2026-12-31T23:59:59.999Z"),
                new Row("now/M", ISO, UP, null, "2026-09-30T23:59:59.999Z"),
                new Row("now/w", ISO, DOWN, null, "2026-09-14T00:00:00Z"),
                new Row("now/w", ISO, UP, null, "2026-09-20T23:59:59.999Z"),
                new Row("now/h", ISO, UP, null, "2026-09-15T10:59:59.999Z"),
                new Row("now/H", ISO, DOWN, null, "2026-09-15T10:00:00Z"),
                new Row("now/m", ISO, UP, null, "2026-09-15T10:20:59.999Z"),
                new Row("now/s", ISO, DOWN, null, "2026-09-15T10:20:30Z"),
                new Row("now+1y", ISO, DOWN, null, "2027-09-15T10:20:30.456Z"),
                new Row("now-1M", ISO, DOWN, null, "2026-08-15T10:20:30.456Z"),
                new Row("now+2w", ISO, DOWN, null, "2026-09-29T10:20:30.456Z"),
                new Row("now-36h", ISO, DOWN, null, "2026-09-13T22:20:30.456Z"),
                new Row("now+90m", ISO, DOWN, null, "2026-09-15T11:50:30.456Z"),
                new Row("now-15s", ISO, DOWN, null, "2026-09-15T10:20:15.456Z"),
                new Row("now-1d+12h/h", ISO, UP, null, "2026-09-14T22:59:59.999Z"),
                new Row("now/d", ISO, DOWN, "Asia/Seoul", "2026-09-14T15:00:00Z"),
                new Row("now/d", ISO, UP, "Asia/Seoul", "2026-09-15T14:59:59.999Z"),
                new Row("now/d", ISO, DOWN, "-05:00", "2026-09-15T05:00:00Z"),
                new Row("now", ISO, DOWN, "+09:00", "2026-09-15T10:20:30.456Z"),
                new Row("2026-09-01||+1M/M", ISO, DOWN, null, "2026-10-01T00:00:00Z"),
                new Row("2026-09-01||+1M/M", ISO, UP, null, "2026-10-31T23:59:59.999Z"),
                new Row("2026-09-01||/d", ISO, UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("2026-09||+1d", ISO, UP, null, "2026-09-02T00:00:00Z"),
                new Row("2026-09-01||-1d/d", ISO, DOWN, "Asia/Seoul", "2026-08-30T15:00:00Z"),
                new Row("2026-09-01", ISO, DOWN, null, "2026-09-01T00:00:00Z"),
                new Row("2026-09-01", ISO, UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("2026-09", ISO, UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("2026", ISO, DOWN, null, "2026-01-01T00:00:00Z"),
                new Row("2026", ISO, UP, null, "2026-01-01T23:59:59.999Z"),
                new Row("2026-09-01T10", ISO, UP, null, "2026-09-01T10:59:59.999Z"),
                new Row("2026-09-01T10Z", ISO, DOWN, null, "2026-09-01T10:00:00Z"),
                new Row("2026-09-01T10:00:00Z", ISO, UP, null, "2026-09-01T10:00:00.999Z"),
                new Row("2026-09-01T10:00:00.000Z", ISO, UP, null, "2026-09-01T10:00:00Z"),
                new Row("2026-09-01T10:00:00.123456789Z", ISO, DOWN, null, "2026-09-01T10:00:00.123Z"),
                new Row("2026-09-01T10:00:00.5Z", ISO, DOWN, null, "2026-09-01T10:00:00.500Z"),
                new Row("2026-09-01T10:00:00+09:00", ISO, DOWN, null, "2026-09-01T01:00:00Z"),
                new Row("2026-09-01T10:00:00,5+0530", ISO, DOWN, null, "2026-09-01T04:30:00.500Z"),
                new Row("2026-09-01T10:00:00-03", ISO, DOWN, null, "2026-09-01T13:00:00Z"),
                new Row("2026-09-01T10:00:00Europe/Berlin", ISO, DOWN, null, "2026-09-01T08:00:00Z"),
                new Row("2026-09-01T10:00", ISO, DOWN, "Europe/Berlin", "2026-09-01T08:00:00Z"),
                new Row("2026-09-01T10:00:00Z", ISO, DOWN, "Europe/Berlin", "2026-09-01T10:00:00Z"),
                new Row("2026-03-29T02:30:00", ISO, DOWN, "Europe/Berlin", "2026-03-29T01:30:00Z"),
                new Row("-0001-01-01", ISO, DOWN, null, "-0001-01-01T00:00:00Z"),
                new Row("2026-09-01T10:00:00.000", "iso8601", DOWN, null, "2026-09-01T10:00:00Z"),
                new Row("2026-09-01", "strict_date_optional_time_nanos", UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("1713182400000", "epoch_millis", DOWN, null, "2024-04-15T12:00:00Z"),
                new Row("1713182400000.5", "epoch_millis", UP, null, "2024-04-15T12:00:00Z"),
                new Row("-1000", "epoch_millis", DOWN, null, "1969-12-31T23:59:59Z"),
                new Row("-1000", "epoch_millis", UP, null, "1969-12-31T23:59:58.999Z"),
                new Row("-1000.5", "epoch_millis", DOWN, null, "1969-12-31T23:59:58.999Z"),
                new Row("1713182400", "epoch_second", DOWN, null, "2024-04-15T12:00:00Z"),
                new Row("1713182400", "epoch_second", UP, null, "2024-04-15T12:00:00.999Z"),
                new Row("1713182400.25", "epoch_second", UP, null, "2024-04-15T12:00:00.250Z"),
                new Row("1713182400000||+1d", "epoch_millis", DOWN, null, "2024-04-16T12:00:00Z"),
                new Row("2024", DEFAULT, DOWN, null, "2024-01-01T00:00:00Z"),
                new Row("1713182400000", DEFAULT, DOWN, null, "2024-04-15T12:00:00Z"),
                new Row("2026-09-01 10:11:12", "yyyy-MM-dd HH:mm:ss", DOWN, null, "2026-09-01T10:11:12Z"),
                new Row("2026-09-01 10:11:12", "yyyy-MM-dd HH:mm:ss", UP, "+09:00", "2026-09-01T01:11:12.999Z"),
                new Row("2026-09-01", "yyyy-MM-dd", UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("2026-09", "yyyy-MM", DOWN, null, "2026-09-01T00:00:00Z"),
                new Row("2026-09", "yyyy-MM", UP, null, "2026-09-01T23:59:59.999Z"),
                new Row("2026-02-31", "yyyy-MM-dd", UP, null, "2026-02-28T23:59:59.999Z"),
                new Row("01/09/2026", "dd/MM/yyyy||epoch_millis", DOWN, null, "2026-09-01T00:00:00Z"),
                new Row("1713182400000", "dd/MM/yyyy||epoch_millis", DOWN, null, "2024-04-15T12:00:00Z"),
                new Row(
                        "2026-09-01T10:00:00+0200",
                        "yyyy-MM-dd'T'HH:mm:ssZ",
                        DOWN,
                        "Asia/Seoul",
                        "2026-09-01T08:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void evaluate_yieldsTheInstantElasticsearchComputes(Row row) {
        long millis = DateMath.evaluate(
                row.expression(),
                NOW.toEpochMilli(),
                row.roundUp(),
                zone(row.timeZone()),
                DateFormats.forPattern(row.format()).orElseThrow(),
                false);

        assertThat(Instant.ofEpochMilli(millis)).isEqualTo(Instant.parse(row.expected()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void evaluate_ofNonEpochValues_doesNotDependOnHowEpochsMeetTimeZones(Row row) {
        DateFormat format = DateFormats.forPattern(row.format()).orElseThrow();
        ZoneId zone = zone(row.timeZone());

        long shifted = DateMath.evaluate(row.expression(), NOW.toEpochMilli(), row.roundUp(), zone, format, false);
        long unshifted = DateMath.evaluate(row.expression(), NOW.toEpochMilli(), row.roundUp(), zone, format, true);

        assertThat(unshifted).isEqualTo(shifted);
    }

    @org.junit.jupiter.api.Test
    void evaluate_ofAnEpochWithATimeZone_shiftsOnlyInOlderElasticsearch() {
        DateFormat epoch = DateFormats.forPattern("epoch_millis").orElseThrow();
        ZoneId plusTwo = ZoneId.of("+02:00");

        long older = DateMath.evaluate("1713182400000", NOW.toEpochMilli(), false, plusTwo, epoch, false);
        long newer = DateMath.evaluate("1713182400000", NOW.toEpochMilli(), false, plusTwo, epoch, true);

        assertThat(Instant.ofEpochMilli(older)).isEqualTo(Instant.parse("2024-04-15T10:00:00Z"));
        assertThat(Instant.ofEpochMilli(newer)).isEqualTo(Instant.parse("2024-04-15T12:00:00Z"));
    }

    record BadRow(String expression, String format, boolean roundUp, String message) {
        @Override
        public String toString() {
            return "[" + expression + "] with " + format + " fails: " + message;
        }
    }

    static Stream<BadRow> badRows() {
        return Stream.of(
                new BadRow("now-1x", ISO, DOWN, "unit [x] not supported for date math [-1x]"),
                new BadRow("now+", ISO, DOWN, "truncated date math [+]"),
                new BadRow("now-15", ISO, DOWN, "truncated date math [-15]"),
                new BadRow("now/2d", ISO, DOWN, "rounding `/` can only be used on single unit types [/2d]"),
                new BadRow("now*1d", ISO, DOWN, "operator not supported for date math [*1d]"),
                new BadRow("now||+1d", ISO, DOWN, "operator not supported for date math [||+1d]"),
                new BadRow("nowish", ISO, DOWN, "operator not supported for date math [ish]"),
                new BadRow("", ISO, DOWN, "cannot parse empty datetime"),
                new BadRow("||+1d", ISO, DOWN, "cannot parse empty datetime"),
                new BadRow(
                        "yesterday",
                        ISO,
                        DOWN,
                        "failed to parse date field [yesterday] with format [strict_date_optional_time]"),
                new BadRow(
                        "2026-02-30",
                        ISO,
                        DOWN,
                        "failed to parse date field [2026-02-30] with format [strict_date_optional_time]: "
                                + "[Invalid date 'FEBRUARY 30']"),
                new BadRow(
                        "2026-09-01T24:00:00Z",
                        ISO,
                        DOWN,
                        "failed to parse date field [2026-09-01T24:00:00Z] with format [strict_date_optional_time]"),
                new BadRow(
                        "1713182400000",
                        ISO,
                        DOWN,
                        "failed to parse date field [1713182400000] with format [strict_date_optional_time]"),
                new BadRow(
                        "2026-09-01",
                        "epoch_millis",
                        DOWN,
                        "failed to parse date field [2026-09-01] with format [epoch_millis]"),
                new BadRow(
                        "1.7131824E12",
                        "epoch_millis",
                        DOWN,
                        "failed to parse date field [1.7131824E12] with format [epoch_millis]"),
                new BadRow(
                        "99999999999999999999",
                        "epoch_millis",
                        DOWN,
                        "failed to parse date field [99999999999999999999] with format [epoch_millis]"),
                new BadRow(
                        "2026-02-31",
                        "yyyy-MM-dd",
                        DOWN,
                        "failed to parse date field [2026-02-31] with format [yyyy-MM-dd]"),
                new BadRow("now-99999999999d", ISO, DOWN, "failed to parse date math [-99999999999d]"),
                new BadRow("now+2000000000y", ISO, DOWN, "date math [+2000000000y] is out of range"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRows")
    void evaluate_ofWhatElasticsearchRejects_failsWithItsMessage(BadRow row) {
        DateFormat format = DateFormats.forPattern(row.format()).orElseThrow();

        assertThatThrownBy(() ->
                        DateMath.evaluate(row.expression(), NOW.toEpochMilli(), row.roundUp(), null, format, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(row.message());
    }

    private static ZoneId zone(String id) {
        return id == null ? null : ZoneId.of(id);
    }
}
