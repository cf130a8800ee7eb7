package io.changepipe.expr;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** The functions an expression may call, by lower-case name: each with its arity and a binder that makes its node. */
final class Functions {

    static final int VARARGS = Integer.MAX_VALUE;

    /** Makes the node for one call site from its compiled arguments, and may work on constant arguments once. */
    @FunctionalInterface
    interface Binder {
        Node bind(Node[] args, Clock clock);
    }

    /** One function; a {@code pure} one whose arguments are all constants is computed at compile time. */
    record Def(String name, int min, int max, boolean pure, Binder binder) {

        /** Null when {@code n} arguments are fine, else the one-line complaint. */
        String arityProblem(int n) {
            if (n >= min && n <= max) {
                return null;
            }
            String takes;
            if (min == max) {
                takes = min + (min == 1 ? " argument" : " arguments");
            } else if (max == VARARGS) {
                takes = "at least " + min + " arguments";
            } else {
                takes = min + (max == min + 1 ? " or " : " to ") + max + " arguments";
            }
            return "function '" + name + "' takes " + takes + " (got " + n + ")";
        }
    }

    private static final Map<String, Def> ALL = registry();

    private Functions() {
    }

    /** The function called {@code name} (any case), or null. */
    static Def lookup(String name) {
        return ALL.get(name.toLowerCase(Locale.ROOT));
    }

    /** The known names, sorted, for "unknown function" messages. */
    static String names() {
        return String.join(", ", new TreeSet<>(ALL.keySet()));
    }

    private static Map<String, Def> registry() {
        Map<String, Def> all = new HashMap<>();
        for (List<Def> group : List.of(TextFunctions.all(), MathFunctions.all(), ValueFunctions.all(), DateFunctions.all())) {
            for (Def d : group) {
                if (all.put(d.name(), d) != null) {
                    throw new IllegalStateException("function " + d.name() + " defined twice");
                }
            }
        }
        return Map.copyOf(all);
    }

    /** A one-argument function where NULL in means NULL out. */
    static Def strict(String name, UnaryOperator<Object> f) {
        return new Def(name, 1, 1, true, (args, clock) -> {
            Node a = args[0];
            return ctx -> {
                Object v = a.eval(ctx);
                return v == null ? null : f.apply(v);
            };
        });
    }

    /** A two-argument function where any NULL argument means NULL. */
    static Def strict(String name, BinaryOperator<Object> f) {
        return new Def(name, 2, 2, true, (args, clock) -> {
            Node a = args[0];
            Node b = args[1];
            return ctx -> {
                Object x = a.eval(ctx);
                Object y = b.eval(ctx);
                return x == null || y == null ? null : f.apply(x, y);
            };
        });
    }

    /** A function of {@code min..max} arguments where any NULL argument means NULL. */
    static Def strict(String name, int min, int max, Function<Object[], Object> f) {
        return new Def(name, min, max, true, (args, clock) -> ctx -> {
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].eval(ctx);
                if (values[i] == null) {
                    return null;
                }
            }
            return f.apply(values);
        });
    }

    /** The same definition under another name (ceiling for ceil, format for printf). */
    static Def alias(String name, Def def) {
        return new Def(name, def.min(), def.max(), def.pure(), def.binder());
    }

    /** The constant text of an argument, when it is a constant. */
    static boolean isConstantText(Node n) {
        return n instanceof Node.Const c && c.value() != null;
    }

    static String constantText(Node n) {
        return SqlValues.text(((Node.Const) n).value());
    }
}
