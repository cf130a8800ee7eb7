package io.changepipe.sink.s3csv;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Column values as DMS writes them in CSV: dates ISO, date-times {@code yyyy-MM-dd HH:mm:ss[.ffffff]} (UTC), binary as hex. */
final class CsvValues {

    static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private CsvValues() {
    }

    /** The text of a value; null stays null (the printer writes csvNullValue). */
    static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().withUpperCase().formatHex(b);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Instant i) {
            return dateTime(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
        }
        if (v instanceof LocalDateTime t) {
            return dateTime(t);
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        return v.toString();
    }

    private static String dateTime(LocalDateTime t) {
        String s = SECONDS.format(t);
        if (t.getNano() == 0) {
            return s;
        }
        return s + "." + String.format("%09d", t.getNano()).substring(0, 6);
    }
}
