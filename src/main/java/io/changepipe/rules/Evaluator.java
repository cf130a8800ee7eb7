package io.changepipe.rules;

import io.changepipe.expr.EvalContext;

/** A compiled expression, evaluated once per row image. */
@FunctionalInterface
public interface Evaluator {

    Object evaluate(EvalContext ctx);
}
