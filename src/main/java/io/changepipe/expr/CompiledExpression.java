package io.changepipe.expr;

/**
 * An expression compiled once from its text into a tree of small evaluator nodes, to be evaluated for many rows.
 * Immutable and safe to share between threads.
 *
 * <p>{@link #evaluate} answers Long (BigInteger beyond 64 bits), BigDecimal, Double, String, byte[], Boolean (for
 * comparisons and logic), a row's own java.time value, or null for SQL NULL.
 */
public final class CompiledExpression {

    private final String text;
    private final Node root;

    CompiledExpression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** The expression's value for one row; throws ExpressionException for an unknown column or a bad function argument. */
    public Object evaluate(EvalContext ctx) {
        try {
            return root.eval(ctx);
        } catch (EvalError | ArithmeticException e) {
            throw new ExpressionException(text, e.getMessage());
        }
    }

    /** Whether the row passes, as a condition: NULL, 0 and text that is not a non-zero number do not. */
    public boolean test(EvalContext ctx) {
        return SqlValues.isTrue(evaluate(ctx));
    }

    /** The text the expression was compiled from. */
    public String text() {
        return text;
    }

    /** Whether the value is the same for every row (the whole expression was computed at compile time). */
    public boolean isConstant() {
        return root instanceof Node.Const;
    }

    @Override
    public String toString() {
        return text;
    }
}
