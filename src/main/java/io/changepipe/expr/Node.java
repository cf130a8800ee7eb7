package io.changepipe.expr;

/**
 * One step of a compiled expression. Nodes are immutable and hold their children directly, so evaluating is a plain
 * walk of Java objects: no parser tree, no reflection, no lookups by name beyond the row's own.
 */
@FunctionalInterface
interface Node {

    /** The value for this row; null is SQL NULL. */
    Object eval(EvalContext ctx);

    /** A literal, or a part of the expression whose value was worked out at compile time. */
    record Const(Object value) implements Node {

        static final Const NULL = new Const(null);

        @Override
        public Object eval(EvalContext ctx) {
            return value;
        }
    }

    static boolean allConstant(Node... nodes) {
        for (Node n : nodes) {
            if (!(n instanceof Const)) {
                return false;
            }
        }
        return true;
    }
}
