package io.changepipe.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * SQLite's rules for the values an expression handles: Long, BigInteger, BigDecimal, Double, String, byte[], Boolean
 * (an integer 1 or 0), row date-times (text in SQLite's ISO form) and null.
 */
final class SqlValues {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private SqlValues() {
    }

    /** A value as a row gives it, in the few types the rest of the package handles. */
    static Object normalize(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof BigDecimal || v instanceof Double
                || v instanceof Boolean || v instanceof byte[] || v instanceof LocalDateTime || v instanceof LocalDate
                || v instanceof Instant || v instanceof LocalTime) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return SqlNumbers.integer(b);
        }
        if (v instanceof Float f) {
            return Double.parseDouble(f.toString()); // FLOAT 0.1 reads as 0.1, not 0.10000000149011612
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (v instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        return v.toString();
    }

    /** The text SQLite would show for a value (what ||, LIKE, length and text comparison see); null stays null. */
    static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof Long || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Double d) {
            return SqlNumbers.realText(d);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return SqlTime.text(v);
    }

    static byte[] bytes(Object v) {
        return v instanceof byte[] b ? b : text(v).getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** SQLite truthiness for three-valued logic: NULL is unknown, numbers are true unless 0, text by its number. */
    static Boolean truth(Object v) {
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        return SqlNumbers.signum(SqlNumbers.toNumber(v)) != 0;
    }

    /** Whether a WHERE-style condition holds: NULL and false do not. */
    static boolean isTrue(Object v) {
        return truth(v) == Boolean.TRUE;
    }

    static String typeof(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Long || v instanceof BigInteger || v instanceof Boolean) {
            return "integer";
        }
        if (v instanceof Double || v instanceof BigDecimal) {
            return "real";
        }
        return v instanceof byte[] ? "blob" : "text";
    }

    /** SQL equality of two non-null values. */
    static boolean same(Object a, Object b) {
        return compare(a, b) == 0;
    }

    /**
     * Orders two non-null values as SQLite does (numbers, then text, then blobs), with the affinity rule that a number
     * meets a text that spells a number numerically ({@code amount = '10'}), as a numeric column would in SQLite.
     */
    static int compare(Object a, Object b) {
        Object x = a instanceof Boolean ? SqlNumbers.toNumber(a) : a;
        Object y = b instanceof Boolean ? SqlNumbers.toNumber(b) : b;
        boolean xNum = SqlNumbers.isNumber(x);
        boolean yNum = SqlNumbers.isNumber(y);
        if (xNum && yNum) {
            return SqlNumbers.compare(x, y);
        }
        if (xNum || yNum) {
            Object other = xNum ? y : x;
            if (other instanceof byte[]) {
                return xNum ? -1 : 1;
            }
            Object n = SqlNumbers.parse(text(other), true);
            if (n == null) {
                return xNum ? -1 : 1;
            }
            return xNum ? SqlNumbers.compare(x, n) : SqlNumbers.compare(n, y);
        }
        if (x instanceof byte[] bx) {
            return y instanceof byte[] by ? Arrays.compareUnsigned(bx, by) : 1;
        }
        if (y instanceof byte[]) {
            return -1;
        }
        if (x instanceof Temporal && x.getClass() == y.getClass() && x instanceof Comparable) {
            @SuppressWarnings("unchecked")
            Comparable<Object> c = (Comparable<Object>) x;
            return c.compareTo(y);
        }
        return compareCodePoints(text(x), text(y));
    }

    /** SQLite compares text as UTF-8 bytes, which is code point order, not Java's UTF-16 order. */
    static int compareCodePoints(String s, String t) {
        int n = Math.min(s.length(), t.length());
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            char d = t.charAt(i);
            if (c != d) {
                boolean cs = Character.isSurrogate(c);
                boolean ds = Character.isSurrogate(d);
                return cs == ds ? Character.compare(c, d) : (cs ? 1 : -1);
            }
        }
        return Integer.compare(s.length(), t.length());
    }
}
