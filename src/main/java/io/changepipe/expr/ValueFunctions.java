package io.changepipe.expr;

import io.changepipe.expr.Functions.Def;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Choosing among values (coalesce, ifnull, nullif, iif — each evaluates only what it needs), typeof, and DMS's
 * hash_sha256 and operation_indicator.
 */
final class ValueFunctions {

    private ValueFunctions() {
    }

    static List<Def> all() {
        Def coalesce = new Def("coalesce", 2, Functions.VARARGS, true, (args, clock) -> ctx -> {
            for (Node n : args) {
                Object v = n.eval(ctx);
                if (v != null) {
                    return v;
                }
            }
            return null;
        });
        return List.of(
                coalesce,
                new Def("ifnull", 2, 2, true, coalesce.binder()),
                new Def("nullif", 2, 2, true, (args, clock) -> ctx -> {
                    Object a = args[0].eval(ctx);
                    Object b = args[1].eval(ctx);
                    return a != null && b != null && SqlValues.same(a, b) ? null : a;
                }),
                new Def("iif", 3, 3, true, (args, clock) ->
                        ctx -> SqlValues.isTrue(args[0].eval(ctx)) ? args[1].eval(ctx) : args[2].eval(ctx)),
                new Def("typeof", 1, 1, true, (args, clock) -> ctx -> SqlValues.typeof(args[0].eval(ctx))),
                Functions.strict("hash_sha256", ValueFunctions::sha256),
                new Def("operation_indicator", 3, 3, false, (args, clock) -> ctx -> {
                    int which = operationArgument(ctx.meta("operation"));
                    return which < 0 ? null : args[which].eval(ctx);
                }));
    }

    /** Lower-case hex of the SHA-256 of the value's UTF-8 text (a blob's own bytes), as DMS's hash_sha256. */
    private static Object sha256(Object v) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SqlValues.bytes(v)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * operation_indicator(deleteValue, updateValue, insertValue): which argument the current operation picks; a
     * full-load row counts as an insert, as in DMS. -1 (NULL) for anything else.
     */
    private static int operationArgument(Object operation) {
        String op = operation == null ? "" : operation.toString().toLowerCase(Locale.ROOT);
        return switch (op) {
            case "delete" -> 0;
            case "update" -> 1;
            case "insert", "load" -> 2;
            default -> -1;
        };
    }
}
