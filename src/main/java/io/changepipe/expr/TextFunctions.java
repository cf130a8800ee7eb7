package io.changepipe.expr;

import static io.changepipe.expr.Functions.strict;

import io.changepipe.expr.Functions.Def;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** SQLite's text functions: lower, upper, length, substr, trim/ltrim/rtrim, replace, instr, hex, quote, printf, glob. */
final class TextFunctions {

    /** Far beyond any text, small enough that SQLite's substr arithmetic cannot overflow. */
    private static final long HUGE = 1L << 40;

    private TextFunctions() {
    }

    static List<Def> all() {
        Def substr = strict("substr", 2, 3, TextFunctions::substr);
        Def printf = new Def("printf", 1, Functions.VARARGS, true, TextFunctions::printf);
        return List.of(
                strict("lower", v -> SqlValues.text(v).toLowerCase(Locale.ROOT)),
                strict("upper", v -> SqlValues.text(v).toUpperCase(Locale.ROOT)),
                strict("length", TextFunctions::length),
                substr, Functions.alias("substring", substr),
                strict("trim", 1, 2, a -> trim(a, true, true)),
                strict("ltrim", 1, 2, a -> trim(a, true, false)),
                strict("rtrim", 1, 2, a -> trim(a, false, true)),
                strict("replace", 3, 3, TextFunctions::replace),
                strict("instr", TextFunctions::instr),
                new Def("hex", 1, 1, true, (args, clock) -> ctx -> {
                    Object v = args[0].eval(ctx);
                    return v == null ? "" : SqlValues.hex(SqlValues.bytes(v));
                }),
                new Def("quote", 1, 1, true, (args, clock) -> ctx -> quote(args[0].eval(ctx))),
                printf, Functions.alias("format", printf),
                new Def("glob", 2, 2, true, TextFunctions::glob));
    }

    /** Characters (code points) of text, bytes of a blob. */
    private static Object length(Object v) {
        if (v instanceof byte[] b) {
            return (long) b.length;
        }
        String s = SqlValues.text(v);
        return (long) s.codePointCount(0, s.length());
    }

    /** SQLite's substr: 1-based; a negative start counts from the end; a negative length takes characters before it. */
    private static Object substr(Object[] a) {
        boolean blob = a[0] instanceof byte[];
        String s = blob ? null : SqlValues.text(a[0]);
        long len = blob ? ((byte[]) a[0]).length : s.codePointCount(0, s.length());
        long p1 = clamp(SqlNumbers.toLong(a[1]));
        long p2 = a.length == 3 ? clamp(SqlNumbers.toLong(a[2])) : HUGE;
        boolean backwards = p2 < 0;
        p2 = Math.abs(p2);
        if (p1 < 0) {
            p1 += len;
            if (p1 < 0) {
                p2 = Math.max(0, p2 + p1);
                p1 = 0;
            }
        } else if (p1 > 0) {
            p1--;
        } else if (p2 > 0) {
            p2--;
        }
        if (backwards) {
            p1 -= p2;
            if (p1 < 0) {
                p2 += p1;
                p1 = 0;
            }
        }
        int from = (int) Math.min(p1, len);
        int to = (int) Math.min(len, p1 + p2);
        if (blob) {
            return Arrays.copyOfRange((byte[]) a[0], from, Math.max(from, to));
        }
        int start = s.offsetByCodePoints(0, from);
        return to <= from ? "" : s.substring(start, s.offsetByCodePoints(start, to - from));
    }

    private static long clamp(long n) {
        return Math.max(-HUGE, Math.min(HUGE, n));
    }

    /** Removes the given characters (spaces by default, as SQLite) from either end. */
    private static Object trim(Object[] a, boolean left, boolean right) {
        String s = SqlValues.text(a[0]);
        String chars = a.length > 1 ? SqlValues.text(a[1]) : " ";
        int start = 0;
        int end = s.length();
        while (left && start < end && chars.indexOf(s.codePointAt(start)) >= 0) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (right && end > start && chars.indexOf(s.codePointBefore(end)) >= 0) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    private static Object replace(Object[] a) {
        String s = SqlValues.text(a[0]);
        String from = SqlValues.text(a[1]);
        return from.isEmpty() ? s : s.replace(from, SqlValues.text(a[2]));
    }

    /** 1-based position of the first occurrence, 0 when absent; in bytes for two blobs, else in characters. */
    private static Object instr(Object hay, Object needle) {
        if (hay instanceof byte[] h && needle instanceof byte[] n) {
            for (int i = 0; i + n.length <= h.length; i++) {
                if (Arrays.equals(h, i, i + n.length, n, 0, n.length)) {
                    return (long) i + 1;
                }
            }
            return 0L;
        }
        String s = SqlValues.text(hay);
        int i = s.indexOf(SqlValues.text(needle));
        return i < 0 ? 0L : (long) s.codePointCount(0, i) + 1;
    }

    /** The value as an SQL literal: 'it''s', 12, X'0A', NULL. */
    static String quote(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof byte[] b) {
            return "X'" + SqlValues.hex(b) + "'";
        }
        if (SqlNumbers.isNumber(v) || v instanceof Boolean) {
            return SqlValues.text(v);
        }
        return "'" + SqlValues.text(v).replace("'", "''") + "'";
    }

    /** A literal format is parsed (and checked) once, here at compile time. */
    private static Node printf(Node[] args, java.time.Clock clock) {
        Printf fixed = Functions.isConstantText(args[0]) ? Printf.parse(Functions.constantText(args[0])) : null;
        return ctx -> {
            Object f = args[0].eval(ctx);
            if (f == null) {
                return null;
            }
            Object[] values = new Object[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                values[i - 1] = args[i].eval(ctx);
            }
            try {
                return (fixed != null ? fixed : Printf.parse(SqlValues.text(f))).format(values);
            } catch (IllegalArgumentException e) {
                throw new EvalError(e.getMessage());
            }
        };
    }

    /** glob(pattern, text), the function form of SQLite's GLOB operator, which JSqlParser does not parse. */
    private static Node glob(Node[] args, java.time.Clock clock) {
        LikePattern fixed = Functions.isConstantText(args[0]) ? LikePattern.glob(Functions.constantText(args[0])) : null;
        return ctx -> {
            Object p = args[0].eval(ctx);
            Object v = args[1].eval(ctx);
            if (p == null || v == null) {
                return null;
            }
            return (fixed != null ? fixed : LikePattern.glob(SqlValues.text(p))).matches(SqlValues.text(v));
        };
    }
}
