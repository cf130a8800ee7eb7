package io.changepipe.expr;

/**
 * Thrown by nodes, which do not know the expression they belong to; {@link CompiledExpression} turns it into an
 * {@link ExpressionException} naming the expression. No stack trace: it is a data problem, not a bug.
 */
final class EvalError extends RuntimeException {

    EvalError(String reason) {
        super(reason, null, false, false);
    }
}
