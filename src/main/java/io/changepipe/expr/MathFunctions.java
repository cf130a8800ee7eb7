package io.changepipe.expr;

import static io.changepipe.expr.Functions.strict;

import io.changepipe.expr.Functions.Def;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.List;

/**
 * abs, round, ceil/ceiling, floor and the scalar max/min. Unlike SQLite, which answers REAL, these keep the kind of
 * their argument: round(7) is the integer 7 and round of a DECIMAL is a DECIMAL, so exact values stay exact.
 */
final class MathFunctions {

    private MathFunctions() {
    }

    static List<Def> all() {
        Def ceil = strict("ceil", v -> whole(SqlNumbers.toNumber(v), RoundingMode.CEILING));
        return List.of(
                strict("abs", MathFunctions::abs),
                strict("round", 1, 2, MathFunctions::round),
                ceil, Functions.alias("ceiling", ceil),
                strict("floor", v -> whole(SqlNumbers.toNumber(v), RoundingMode.FLOOR)),
                strict("max", 2, Functions.VARARGS, a -> extreme(a, 1)),
                strict("min", 2, Functions.VARARGS, a -> extreme(a, -1)));
    }

    private static Object abs(Object v) {
        Object n = SqlNumbers.toNumber(v);
        return SqlNumbers.signum(n) < 0 ? SqlNumbers.negate(n) : n;
    }

    /** Half away from zero, like SQLite; a REAL is rounded by its decimal text so round(2.675, 2) is 2.68. */
    private static Object round(Object[] a) {
        Object n = SqlNumbers.toNumber(a[0]);
        int digits = (int) Math.max(0, Math.min(30, a.length > 1 ? SqlNumbers.toLong(a[1]) : 0));
        if (n instanceof Long || n instanceof BigInteger) {
            return n;
        }
        if (n instanceof Double d) {
            return Double.isFinite(d) ? new BigDecimal(Double.toString(d)).setScale(digits, RoundingMode.HALF_UP).doubleValue() : d;
        }
        BigDecimal d = (BigDecimal) n;
        return d.scale() <= digits ? d : d.setScale(digits, RoundingMode.HALF_UP);
    }

    private static Object whole(Object n, RoundingMode mode) {
        if (n instanceof Double d) {
            return mode == RoundingMode.CEILING ? Math.ceil(d) : Math.floor(d);
        }
        return n instanceof BigDecimal d ? d.setScale(0, mode) : n;
    }

    /** The largest ({@code sign} 1) or smallest (-1) argument, in SQL order; NULL if any is NULL (checked by strict). */
    private static Object extreme(Object[] a, int sign) {
        Object best = a[0];
        for (int i = 1; i < a.length; i++) {
            if (Integer.signum(SqlValues.compare(a[i], best)) == sign) {
                best = a[i];
            }
        }
        return best;
    }
}
