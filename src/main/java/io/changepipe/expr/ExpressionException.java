package io.changepipe.expr;

/** An expression failed for one row: a column the row does not have, or a bad function argument. */
public final class ExpressionException extends RuntimeException {

    private final String expression;
    private final String reason;

    public ExpressionException(String expression, String reason) {
        super(reason + " in expression '" + expression + "'");
        this.expression = expression;
        this.reason = reason;
    }

    public String expression() {
        return expression;
    }

    public String reason() {
        return reason;
    }
}
