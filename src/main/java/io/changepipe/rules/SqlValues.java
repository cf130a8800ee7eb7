package io.changepipe.rules;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;

/** How rules read row values: as text, as a number, as a date-time, the way DMS's SQLite comparisons see them. */
final class SqlValues {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private SqlValues() {
    }

    /**
     * The text of a value: numbers in plain notation, date-times as {@code YYYY-MM-DD HH:MM:SS[.fraction]} (instants in
     * UTC), booleans as true/false, bytes as lower-case hex; null stays null.
     */
    static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof LocalDateTime t) {
            return dateTimeText(t);
        }
        if (v instanceof Instant i) {
            return dateTimeText(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
        }
        if (v instanceof LocalTime t) {
            return TIME.format(t) + fraction(t.getNano());
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private static String dateTimeText(LocalDateTime t) {
        return SECONDS.format(t) + fraction(t.getNano());
    }

    private static String fraction(int nanos) {
        return nanos == 0 ? "" : "." + String.format("%09d", nanos).replaceAll("0+$", "");
    }

    /** The value as a number when it is one (booleans count as 1 and 0), else null. */
    static BigDecimal number(Object v) {
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof Double d) {
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (v instanceof Float f) {
            return Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
        }
        if (v instanceof Boolean b) {
            return b ? BigDecimal.ONE : BigDecimal.ZERO;
        }
        return null;
    }

    /** Parses the text as a number, or null. */
    static BigDecimal parseNumber(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses {@code YYYY-MM-DD} (midnight) or {@code YYYY-MM-DD HH:MM:SS[.fraction]} ({@code T} also accepted), or null. */
    static LocalDateTime parseDateTime(String text) {
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay();
            }
            if (t.length() >= 19 && (t.charAt(10) == ' ' || t.charAt(10) == 'T')) {
                return LocalDateTime.parse(t.substring(0, 10) + "T" + t.substring(11));
            }
        } catch (DateTimeParseException e) {
            return null;
        }
        return null;
    }
}
