package io.changepipe.format;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** Column values and timestamps as DMS writes them; the rules are listed on {@link DmsJsonEncoder}. */
final class DmsValues {

    /** Largest string (in UTF-8 bytes) that still counts as a non-LOB column: 64 KiB. */
    static final int LOB_STRING_BYTES = 64 * 1024;

    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final BinaryEncoding binary;
    private final String hexPrefix;

    DmsValues(BinaryEncoding binary, boolean noHexPrefix) {
        this.binary = binary;
        this.hexPrefix = noHexPrefix ? "" : "0x";
    }

    /**
     * Writes one value. A {@code Map} (an object-mapping document) is a nested JSON object whose entries follow the same
     * rules, in the map's order, nulls included: IncludeNullAndEmpty decides about columns, not document fields.
     */
    void write(JsonGenerator g, String column, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b.toString());
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d.toPlainString());
        } else if (v instanceof Double d) {
            writeFloating(g, d, d.isNaN() || d.isInfinite());
        } else if (v instanceof Float f) {
            writeFloating(g, f, f.isNaN() || f.isInfinite());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof byte[] bytes) {
            g.writeString(binary == BinaryEncoding.HEX ? hexPrefix + HEX.formatHex(bytes) : Base64.getEncoder().encodeToString(bytes));
        } else if (v instanceof LocalDateTime t) {
            g.writeString(dateTime(t));
        } else if (v instanceof LocalDate d) {
            g.writeString(d.toString());
        } else if (v instanceof LocalTime t) {
            g.writeString(time(new StringBuilder(15), t).toString());
        } else if (v instanceof Instant i) {
            g.writeString(dateTime(LocalDateTime.ofInstant(i, ZoneOffset.UTC)));
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String name = String.valueOf(e.getKey());
                g.writeFieldName(name);
                write(g, column + "." + name, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new IllegalArgumentException("column " + column + ": cannot write a " + v.getClass().getName()
                    + " (rows hold Long, BigInteger, BigDecimal, Double, Float, Boolean, String, byte[], java.time values, "
                    + "Map documents or null)");
        }
    }

    private static void writeFloating(JsonGenerator g, Number n, boolean special) throws IOException {
        if (special) {
            g.writeString(n.toString());
        } else if (n instanceof Float f) {
            g.writeNumber(f);
        } else {
            g.writeNumber(n.doubleValue());
        }
    }

    /** {@code 2019-10-31T22:53:59.721201Z}: metadata timestamps, always six fraction digits, as DMS writes them. */
    static String isoMicros(Instant i) {
        return ISO_MICROS.format(i);
    }

    static String dateTime(LocalDateTime t) {
        return time(new StringBuilder(26).append(t.toLocalDate()).append(' '), t.toLocalTime()).toString();
    }

    private static StringBuilder time(StringBuilder b, LocalTime t) {
        two(b, t.getHour()).append(':');
        two(b, t.getMinute()).append(':');
        two(b, t.getSecond());
        int nanos = t.getNano();
        if (nanos != 0) {
            String digits = Integer.toString(1_000_000_000 + nanos).substring(1);
            int end = nanos % 1000 == 0 ? 6 : stripZeros(digits);
            b.append('.').append(digits, 0, end);
        }
        return b;
    }

    private static int stripZeros(String digits) {
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return end;
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    /** The DMS data type a value implies, for control records' table-def; null when the value says nothing. */
    static String dmsType(Object v) {
        if (v instanceof Long) {
            return "INT8";
        } else if (v instanceof Integer) {
            return "INT4";
        } else if (v instanceof Short) {
            return "INT2";
        } else if (v instanceof Byte) {
            return "INT1";
        } else if (v instanceof BigInteger) {
            return "UINT8";
        } else if (v instanceof BigDecimal) {
            return "NUMERIC";
        } else if (v instanceof Double) {
            return "REAL8";
        } else if (v instanceof Float) {
            return "REAL4";
        } else if (v instanceof Boolean) {
            return "BOOLEAN";
        } else if (v instanceof String) {
            return "WSTRING";
        } else if (v instanceof byte[]) {
            return "BYTES";
        } else if (v instanceof LocalDate) {
            return "DATE";
        } else if (v instanceof LocalTime) {
            return "TIME";
        } else if (v instanceof LocalDateTime || v instanceof Instant) {
            return "DATETIME";
        }
        return null;
    }

    /** What IncludeNullAndEmpty=false leaves out: null, the empty string and empty bytes. */
    static boolean isNullOrEmpty(Object v) {
        return v == null || (v instanceof String s && s.isEmpty()) || (v instanceof byte[] b && b.length == 0);
    }

    /** LOB-like for the non-lob before-image filter: any byte[], or a string over 64 KiB in UTF-8. */
    static boolean isLob(Object v) {
        if (v instanceof byte[]) {
            return true;
        }
        if (!(v instanceof String s) || s.length() <= LOB_STRING_BYTES / 3) {
            return false;
        }
        return s.length() > LOB_STRING_BYTES || utf8Length(s) > LOB_STRING_BYTES;
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** A transaction id as a JSON number when it is a plain decimal integer, else as a string. */
    static void writeId(JsonGenerator g, String id) throws IOException {
        if (isPlainInteger(id)) {
            g.writeNumber(id);
        } else {
            g.writeString(id);
        }
    }

    static boolean isPlainInteger(String s) {
        if (s.isEmpty() || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
