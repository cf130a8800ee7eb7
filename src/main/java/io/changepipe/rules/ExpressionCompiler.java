package io.changepipe.rules;

/** Compiles an {@code add-column} expression once; the rules never see which expression language implements it. */
@FunctionalInterface
public interface ExpressionCompiler {

    /** The compiled expression; throws IllegalArgumentException with a one-line reason when the text is not valid. */
    Evaluator compile(String expression);
}
