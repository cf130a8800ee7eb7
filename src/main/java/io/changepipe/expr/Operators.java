package io.changepipe.expr;

/** Arithmetic, negation and {@code ||}: NULL in means NULL out; text counts by its numeric prefix ('abc' * 2 is 0). */
final class Operators {

    private Operators() {
    }

    /** {@code + - * / %}. Both sides are evaluated, so an unknown column is reported whatever the other side is. */
    record Arithmetic(SqlNumbers.Op op, Node left, Node right) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object a = left.eval(ctx);
            Object b = right.eval(ctx);
            if (a == null || b == null) {
                return null;
            }
            return SqlNumbers.apply(op, SqlNumbers.toNumber(a), SqlNumbers.toNumber(b));
        }
    }

    /** Unary minus. */
    record Negate(Node operand) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = operand.eval(ctx);
            return v == null ? null : SqlNumbers.negate(SqlNumbers.toNumber(v));
        }
    }

    /** {@code ||} joins the text forms. */
    record Concat(Node left, Node right) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object a = left.eval(ctx);
            Object b = right.eval(ctx);
            if (a == null || b == null) {
                return null;
            }
            return SqlValues.text(a).concat(SqlValues.text(b));
        }
    }
}
