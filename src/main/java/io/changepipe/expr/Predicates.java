package io.changepipe.expr;

/** Comparisons and logic, three-valued as in SQL: each answers TRUE, FALSE or null for unknown. */
final class Predicates {

    private Predicates() {
    }

    /** {@code = == != <> < <= > >=}. */
    enum Comparison {
        EQ, NE, LT, LE, GT, GE;

        boolean holds(int c) {
            return switch (this) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }
    }

    static Boolean not(Boolean b) {
        return b == null ? null : !b;
    }

    static Boolean compare(Comparison op, Object a, Object b) {
        return a == null || b == null ? null : op.holds(SqlValues.compare(a, b));
    }

    record Compare(Comparison op, Node left, Node right) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return compare(op, left.eval(ctx), right.eval(ctx));
        }
    }

    /** FALSE as soon as one side is false, whatever the other; unknown if one is unknown. */
    record And(Node left, Node right) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Boolean a = SqlValues.truth(left.eval(ctx));
            if (a == Boolean.FALSE) {
                return false;
            }
            Boolean b = SqlValues.truth(right.eval(ctx));
            return b == Boolean.FALSE ? Boolean.FALSE : a == null || b == null ? null : Boolean.TRUE;
        }
    }

    /** TRUE as soon as one side is true, whatever the other; unknown if one is unknown. */
    record Or(Node left, Node right) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Boolean a = SqlValues.truth(left.eval(ctx));
            if (a == Boolean.TRUE) {
                return true;
            }
            Boolean b = SqlValues.truth(right.eval(ctx));
            return b == Boolean.TRUE ? Boolean.TRUE : a == null || b == null ? null : Boolean.FALSE;
        }
    }

    record Not(Node operand) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return not(SqlValues.truth(operand.eval(ctx)));
        }
    }

    /** {@code IS NULL}, {@code IS NOT NULL}, {@code ISNULL}, {@code NOTNULL}: never unknown. */
    record IsNull(Node operand, boolean negated) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return (operand.eval(ctx) == null) != negated;
        }
    }

    /** {@code IS [NOT] TRUE|FALSE}: never unknown; NULL is neither true nor false. */
    record IsBoolean(Node operand, boolean value, boolean negated) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return (SqlValues.truth(operand.eval(ctx)) == Boolean.valueOf(value)) != negated;
        }
    }

    /** {@code IS [NOT] DISTINCT FROM}: equality where NULL equals NULL, never unknown. */
    record Distinct(Node left, Node right, boolean distinct) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object a = left.eval(ctx);
            Object b = right.eval(ctx);
            boolean same = a == null || b == null ? a == b : SqlValues.same(a, b);
            return same != distinct;
        }
    }

    /** {@code x [NOT] IN (...)}: unknown when x is NULL, or when nothing matched and the list holds a NULL. */
    record In(Node operand, Node[] values, boolean negated) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            if (v == null) {
                return values.length == 0 ? (Boolean) negated : null;
            }
            boolean sawNull = false;
            for (Node n : values) {
                Object candidate = n.eval(ctx);
                if (candidate == null) {
                    sawNull = true;
                } else if (SqlValues.same(v, candidate)) {
                    return !negated;
                }
            }
            return sawNull ? null : (Boolean) negated;
        }
    }

    /** {@code x [NOT] BETWEEN lo AND hi}, which is {@code x >= lo AND x <= hi}. */
    record Between(Node operand, Node low, Node high, boolean negated) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            Boolean above = compare(Comparison.GE, v, low.eval(ctx));
            Boolean below = compare(Comparison.LE, v, high.eval(ctx));
            Boolean both = above == Boolean.FALSE || below == Boolean.FALSE ? Boolean.FALSE
                    : above == null || below == null ? null : Boolean.TRUE;
            return negated ? not(both) : both;
        }
    }

    /** {@code x [NOT] LIKE p [ESCAPE e]}: a literal pattern is compiled once ({@code fixed}), a computed one per row. */
    record Like(Node operand, Node pattern, Node escape, boolean negated, LikePattern fixed) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            LikePattern p = fixed != null ? fixed : compile(pattern.eval(ctx), escape == null ? null : escape.eval(ctx));
            if (v == null || p == null) {
                return null;
            }
            return p.matches(SqlValues.text(v)) != negated;
        }

        /** The pattern, or null when the pattern or the escape is NULL. */
        LikePattern compile(Object p, Object e) {
            if (p == null || (escape != null && e == null)) {
                return null;
            }
            return LikePattern.like(SqlValues.text(p), e == null ? -1 : LikePattern.escape(SqlValues.text(e)));
        }
    }
}
