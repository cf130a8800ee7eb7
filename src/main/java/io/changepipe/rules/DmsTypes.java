package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.DataType;
import io.changepipe.dms.DmsDataType;
import io.changepipe.event.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Converts values to a DMS data type ({@code add-column}, {@code change-data-type}). Null stays null. A value that does
 * not fit (text that is no number, 300 as int1, a negative uint) is an error, never a silent null.
 * <ul>
 * <li>string, wstring, clob, nclob: String ({@link SqlValues#text}); {@code length} truncates to that many characters.
 * <li>int1, int2, int4, int8: Long, range-checked; uint1, uint2, uint4: Long in 0..2^n-1; uint8: Long, or BigInteger
 * above 2^63-1. Fractions are cut toward zero (SQLite's CAST), booleans are 1/0.
 * <li>numeric: BigDecimal; {@code scale} rounds half-up to that scale (without it the value keeps its scale);
 * {@code precision} bounds the digits (an error when the integer part does not fit).
 * <li>real4: Double rounded to float precision (shortest decimal form); real8: Double.
 * <li>boolean: Boolean from booleans, numbers (non-zero is true) and true/false/t/f/yes/no/y/n/1/0 text.
 * <li>date: LocalDate; datetime: LocalDateTime, {@code precision} (0-9) cuts fractional seconds; time: LocalTime.
 * Instants convert in UTC; text is {@code YYYY-MM-DD[ HH:MM:SS[.fraction]]}.
 * <li>bytes, blob: byte[] (text as UTF-8).
 * </ul>
 * set, list, map and tuple have no row representation here and are rejected when the rule is compiled.
 */
final class DmsTypes {

    private static final BigInteger UINT8_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private DmsTypes() {
    }

    /** The converter for a data type; IllegalArgumentException for a type this service cannot produce. */
    static UnaryOperator<Object> converter(DataType dt) {
        DmsDataType t = DmsDataType.of(dt.type()).orElseThrow(() -> new IllegalArgumentException(
                "unknown DMS data type '" + dt.type() + "'; one of: " + DmsDataType.rowTypeNames()));
        String type = t.dmsName();
        UnaryOperator<Object> c = switch (t) {
            case STRING, WSTRING, CLOB, NCLOB -> text(dt.length().orElse(null));
            case INT1 -> integer(type, -128, 127);
            case INT2 -> integer(type, Short.MIN_VALUE, Short.MAX_VALUE);
            case INT4 -> integer(type, Integer.MIN_VALUE, Integer.MAX_VALUE);
            case INT8 -> integer(type, Long.MIN_VALUE, Long.MAX_VALUE);
            case UINT1 -> integer(type, 0, 255);
            case UINT2 -> integer(type, 0, 65535);
            case UINT4 -> integer(type, 0, 4294967295L);
            case UINT8 -> v -> uint8(v);
            case NUMERIC -> numeric(dt.precision().orElse(null), dt.scale().orElse(null));
            case REAL4 -> v -> real(v, true);
            case REAL8 -> v -> real(v, false);
            case BOOLEAN -> DmsTypes::bool;
            case DATE -> v -> dateTime(v, "date").toLocalDate();
            case DATETIME -> datetime(dt.precision().orElse(null));
            case TIME -> DmsTypes::time;
            case BYTES, BLOB -> DmsTypes::bytes;
            case SET, LIST, MAP, TUPLE -> throw new IllegalArgumentException("data type '" + type
                    + "' has no row representation in changepipe; use string (or bytes)");
        };
        return v -> v == null ? null : c.apply(v);
    }

    private static UnaryOperator<Object> text(Integer length) {
        return v -> {
            String s = v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : SqlValues.text(v);
            if (length != null && s.codePointCount(0, s.length()) > length) {
                return s.substring(0, s.offsetByCodePoints(0, length));
            }
            return s;
        };
    }

    private static UnaryOperator<Object> integer(String type, long min, long max) {
        return v -> {
            BigInteger n = whole(v, type);
            if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                throw new IllegalArgumentException("value " + n + " is out of range for " + type + " (" + min + ".." + max + ")");
            }
            return n.longValue();
        };
    }

    private static Object uint8(Object v) {
        BigInteger n = whole(v, "uint8");
        if (n.signum() < 0 || n.compareTo(UINT8_MAX) > 0) {
            throw new IllegalArgumentException("value " + n + " is out of range for uint8 (0.." + UINT8_MAX + ")");
        }
        return Values.integer(n);
    }

    private static BigInteger whole(Object v, String type) {
        return decimal(v, type).setScale(0, RoundingMode.DOWN).toBigIntegerExact();
    }

    private static BigDecimal decimal(Object v, String type) {
        BigDecimal n = v instanceof String s ? SqlValues.parseNumber(s) : SqlValues.number(v);
        if (n == null) {
            throw new IllegalArgumentException(describe(v) + " is not a number, so it cannot become " + type);
        }
        return n;
    }

    private static UnaryOperator<Object> numeric(Integer precision, Integer scale) {
        return v -> {
            BigDecimal n = decimal(v, "numeric");
            if (scale != null) {
                n = n.setScale(scale, RoundingMode.HALF_UP);
            }
            if (precision != null) {
                int integerDigits = n.precision() - n.scale();
                int allowed = precision - (scale == null ? 0 : scale);
                if (integerDigits > allowed) {
                    throw new IllegalArgumentException("value " + n.toPlainString() + " does not fit numeric(" + precision
                            + (scale == null ? "" : "," + scale) + ")");
                }
            }
            return n;
        };
    }

    private static Object real(Object v, boolean single) {
        double d = decimal(v, single ? "real4" : "real8").doubleValue();
        return single ? Double.parseDouble(Float.toString((float) d)) : d;
    }

    private static Object bool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "t", "yes", "y", "1" -> true;
                case "false", "f", "no", "n", "0" -> false;
                default -> throw new IllegalArgumentException(describe(v) + " is not a boolean (true/false, t/f, yes/no, 1/0)");
            };
        }
        return decimal(v, "boolean").signum() != 0;
    }

    private static UnaryOperator<Object> datetime(Integer precision) {
        return v -> {
            LocalDateTime t = dateTime(v, "datetime");
            if (precision != null && precision < 9) {
                long unit = (long) Math.pow(10, 9 - precision);
                t = t.withNano((int) (t.getNano() / unit * unit));
            }
            return t;
        };
    }

    private static LocalDateTime dateTime(Object v, String type) {
        LocalDateTime t = v instanceof String s ? SqlValues.parseDateTime(s) : Values.utcDateTime(v);
        if (t == null) {
            throw new IllegalArgumentException(describe(v) + " is not a date or date-time, so it cannot become " + type);
        }
        return t;
    }

    private static Object time(Object v) {
        if (v instanceof LocalTime t) {
            return t;
        }
        if (v instanceof LocalDateTime || v instanceof Instant) {
            return Values.utcDateTime(v).toLocalTime();
        }
        if (v instanceof String s) {
            try {
                return LocalTime.parse(s.trim());
            } catch (DateTimeParseException e) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException(describe(v) + " is not a time (HH:MM:SS), so it cannot become time");
    }

    private static Object bytes(Object v) {
        return v instanceof byte[] b ? b : SqlValues.text(v).getBytes(StandardCharsets.UTF_8);
    }

    private static String describe(Object v) {
        return v instanceof String s ? "'" + s + "'" : SqlValues.text(v) + " (" + v.getClass().getSimpleName() + ")";
    }
}
