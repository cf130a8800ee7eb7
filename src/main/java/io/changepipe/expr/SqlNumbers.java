package io.changepipe.expr;

import io.changepipe.event.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * SQLite arithmetic over exact Java numbers. The kinds rank Long &lt; BigInteger &lt; BigDecimal &lt; Double and an
 * operation works in the higher kind of its operands: integers stay exact and widen to BigInteger instead of
 * wrapping, DECIMAL values stay BigDecimal, and a Double (SQLite's REAL) makes the result a Double.
 */
final class SqlNumbers {

    /** Enough digits for any DECIMAL(38) quotient; SQLite itself would give 15. */
    static final MathContext DIVISION = MathContext.DECIMAL128;

    private static final MathContext REAL_TEXT = new MathContext(15, RoundingMode.HALF_EVEN);

    enum Op { ADD, SUB, MUL, DIV, MOD }

    private SqlNumbers() {
    }

    static boolean isNumber(Object v) {
        return v instanceof Long || v instanceof Double || v instanceof BigDecimal || v instanceof BigInteger;
    }

    /** A Long when it fits, so only values that need it are BigIntegers. */
    static Object integer(BigInteger b) {
        return Values.integer(b);
    }

    /** The number a value means in arithmetic, as SQLite reads it: text by its numeric prefix ('12ab' is 12, 'abc' 0). */
    static Object toNumber(Object v) {
        if (v == null || isNumber(v)) {
            return v;
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        return parse(SqlValues.text(v), false);
    }

    /**
     * The number in a text: with {@code whole}, the text must be exactly a number (spaces around allowed) or the
     * answer is null; without, the longest numeric prefix counts and no digits at all mean 0. Integers become Long
     * (BigInteger past 64 bits), anything with a point or exponent a BigDecimal, so '0.1' stays exact.
     */
    static Object parse(String s, boolean whole) {
        int n = s.length();
        int i = 0;
        while (i < n && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        int start = i;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = i;
        i = skipDigits(s, i);
        boolean decimal = false;
        if (i < n && s.charAt(i) == '.') {
            int j = skipDigits(s, i + 1);
            decimal = j > i + 1 || i > digits;
            i = decimal ? j : i;
        }
        if (i == digits) {
            return whole ? null : 0L;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) {
                j++;
            }
            int k = skipDigits(s, j);
            if (k > j) {
                decimal = true;
                i = k;
            }
        }
        int end = i;
        if (whole) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i < n) {
                return null;
            }
        }
        String num = s.substring(start, end);
        try {
            if (!decimal) {
                return end - start <= 18 ? (Object) Long.parseLong(num) : integer(new BigInteger(num));
            }
            return new BigDecimal(num);
        } catch (NumberFormatException e) {
            return Double.parseDouble(num); // an exponent beyond BigDecimal's range
        }
    }

    private static int skipDigits(String s, int i) {
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** One binary operation on two numbers (never null); null only where SQLite gives NULL (division by zero). */
    static Object apply(Op op, Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return longs(op, x, y);
        }
        int kind = Math.max(rank(a), rank(b));
        if (op == Op.MOD) {
            return modulo(a, b, kind);
        }
        if (kind == 3) {
            double x = toDouble(a);
            double y = toDouble(b);
            double r = switch (op) {
                case ADD -> x + y;
                case SUB -> x - y;
                case MUL -> x * y;
                default -> y == 0 ? Double.NaN : x / y;
            };
            return Double.isNaN(r) ? null : r;
        }
        if (kind == 2) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(b);
            return switch (op) {
                case ADD -> x.add(y);
                case SUB -> x.subtract(y);
                case MUL -> x.multiply(y);
                default -> y.signum() == 0 ? null : x.divide(y, DIVISION);
            };
        }
        BigInteger x = bigInteger(a);
        BigInteger y = bigInteger(b);
        return switch (op) {
            case ADD -> integer(x.add(y));
            case SUB -> integer(x.subtract(y));
            case MUL -> integer(x.multiply(y));
            default -> y.signum() == 0 ? null : integer(x.divide(y));
        };
    }

    private static Object longs(Op op, long x, long y) {
        try {
            return switch (op) {
                case ADD -> Math.addExact(x, y);
                case SUB -> Math.subtractExact(x, y);
                case MUL -> Math.multiplyExact(x, y);
                case DIV -> y == 0 ? null : (x == Long.MIN_VALUE && y == -1 ? overflow(op, x, y) : (Object) (x / y));
                case MOD -> y == 0 ? null : x % y;
            };
        } catch (ArithmeticException overflow) {
            return overflow(op, x, y);
        }
    }

    private static Object overflow(Op op, long x, long y) {
        return apply(op, BigInteger.valueOf(x), BigInteger.valueOf(y));
    }

    /** SQLite's % works on the integer parts; the result is REAL when an operand was (5.5 % 2 is 1.0). */
    private static Object modulo(Object a, Object b, int kind) {
        BigInteger y = bigInteger(b);
        if (y.signum() == 0) {
            return null;
        }
        BigInteger r = bigInteger(a).remainder(y);
        return switch (kind) {
            case 3 -> r.doubleValue();
            case 2 -> new BigDecimal(r);
            default -> integer(r);
        };
    }

    static Object negate(Object n) {
        if (n instanceof Long x) {
            return x == Long.MIN_VALUE ? BigInteger.valueOf(x).negate() : (Object) (-x);
        }
        if (n instanceof Double d) {
            return -d;
        }
        if (n instanceof BigDecimal d) {
            return d.negate();
        }
        return integer(((BigInteger) n).negate());
    }

    static int signum(Object n) {
        if (n instanceof Long x) {
            return Long.signum(x);
        }
        if (n instanceof Double d) {
            return d > 0 ? 1 : d < 0 ? -1 : 0;
        }
        return n instanceof BigDecimal d ? d.signum() : ((BigInteger) n).signum();
    }

    /** Orders two numbers by value; a DECIMAL meets a REAL as a REAL, so the literal 0.1 equals a DOUBLE 0.1. */
    static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) {
            return Long.compare(x, y);
        }
        if (a instanceof Double || b instanceof Double) {
            if (a instanceof BigDecimal || b instanceof BigDecimal || a instanceof Double && b instanceof Double) {
                return compareDoubles(toDouble(a), toDouble(b));
            }
            double d = toDouble(a instanceof Double ? a : b);
            if (Double.isInfinite(d)) {
                return a instanceof Double ? (d > 0 ? 1 : -1) : (d > 0 ? -1 : 1);
            }
        }
        return decimal(a).compareTo(decimal(b));
    }

    private static int compareDoubles(double x, double y) {
        return x < y ? -1 : x > y ? 1 : 0;
    }

    private static int rank(Object n) {
        if (n instanceof Long) {
            return 0;
        }
        if (n instanceof BigInteger) {
            return 1;
        }
        return n instanceof BigDecimal ? 2 : 3;
    }

    static double toDouble(Object n) {
        return ((Number) n).doubleValue();
    }

    static BigDecimal decimal(Object n) {
        if (n instanceof Long x) {
            return BigDecimal.valueOf(x);
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        return n instanceof Double d ? new BigDecimal(d) : (BigDecimal) n;
    }

    /** The integer part (truncated toward zero), exact. */
    static BigInteger bigInteger(Object n) {
        if (n instanceof Long x) {
            return BigInteger.valueOf(x);
        }
        if (n instanceof BigInteger b) {
            return b;
        }
        if (n instanceof Double d) {
            return Double.isFinite(d) ? new BigDecimal(d).toBigInteger() : BigInteger.valueOf(d > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
        }
        return ((BigDecimal) n).toBigInteger();
    }

    /** The integer part of a value as SQLite's sqlite3_value_int64 reads it: clamped to 64 bits, text by prefix. */
    static long toLong(Object v) {
        Object n = toNumber(v);
        if (n == null) {
            return 0;
        }
        if (n instanceof Long x) {
            return x;
        }
        if (n instanceof Double d) {
            return d.longValue();
        }
        BigInteger b = bigInteger(n);
        return b.bitLength() < 64 ? b.longValue() : (b.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE);
    }

    /** SQLite's text for a REAL ("%!.15g"): 15 significant digits, always a point, exponent beyond 1e15. */
    static String realText(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "Inf" : "-Inf";
        }
        if (d == 0) {
            return "0.0";
        }
        BigDecimal bd = new BigDecimal(d).round(REAL_TEXT).stripTrailingZeros();
        int exponent = bd.precision() - bd.scale() - 1;
        if (exponent < -4 || exponent >= 15) {
            String digits = bd.unscaledValue().abs().toString();
            return (bd.signum() < 0 ? "-" : "") + digits.charAt(0) + "." + (digits.length() > 1 ? digits.substring(1) : "0")
                    + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
        }
        String s = bd.toPlainString();
        return s.indexOf('.') < 0 ? s + ".0" : s;
    }
}
