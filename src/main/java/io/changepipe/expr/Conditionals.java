package io.changepipe.expr;

import java.math.BigDecimal;
import java.util.Locale;

/** CASE and CAST. */
final class Conditionals {

    private Conditionals() {
    }

    /**
     * {@code CASE WHEN c THEN r ... ELSE e END} when {@code subject} is null, else {@code CASE x WHEN v THEN r ...},
     * where x must equal v (NULL equals nothing). No ELSE means NULL.
     */
    record Case(Node subject, Node[] whens, Node[] thens, Node otherwise) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object s = subject == null ? null : subject.eval(ctx);
            for (int i = 0; i < whens.length; i++) {
                Object w = whens[i].eval(ctx);
                boolean hit = subject == null ? SqlValues.isTrue(w) : s != null && w != null && SqlValues.same(s, w);
                if (hit) {
                    return thens[i].eval(ctx);
                }
            }
            return otherwise == null ? null : otherwise.eval(ctx);
        }
    }

    /** The five storage classes a declared type maps to, by SQLite's affinity rules (VARCHAR is TEXT, DECIMAL NUMERIC). */
    enum Affinity {
        INTEGER, REAL, TEXT, NUMERIC, BLOB;

        static Affinity of(String declaredType) {
            String t = declaredType.toUpperCase(Locale.ROOT);
            if (t.contains("INT")) {
                return INTEGER;
            }
            if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
                return TEXT;
            }
            if (t.contains("BLOB") || t.isBlank()) {
                return BLOB;
            }
            if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
                return REAL;
            }
            return NUMERIC;
        }
    }

    /** {@code CAST(x AS type)}: text converts by its numeric prefix ('12.7abc' AS INTEGER is 12); NULL stays NULL. */
    record Cast(Node operand, Affinity to) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            return v == null ? null : cast(v, to);
        }
    }

    static Object cast(Object v, Affinity to) {
        return switch (to) {
            case TEXT -> SqlValues.text(v);
            case BLOB -> SqlValues.bytes(v);
            case REAL -> SqlNumbers.toDouble(SqlNumbers.toNumber(v));
            case INTEGER -> {
                Object n = SqlNumbers.toNumber(v);
                yield n instanceof Long ? n : SqlNumbers.integer(SqlNumbers.bigInteger(n));
            }
            case NUMERIC -> numeric(SqlNumbers.toNumber(v));
        };
    }

    /** NUMERIC keeps a number but makes a whole REAL or DECIMAL an integer, as SQLite does (CAST('1.0' AS NUMERIC) is 1). */
    private static Object numeric(Object n) {
        boolean whole = n instanceof BigDecimal d ? d.signum() == 0 || d.stripTrailingZeros().scale() <= 0
                : n instanceof Double x && x == Math.rint(x) && Math.abs(x) < 9.2e18;
        return whole ? SqlNumbers.integer(SqlNumbers.bigInteger(n)) : n;
    }
}
