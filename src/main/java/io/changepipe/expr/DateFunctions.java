package io.changepipe.expr;

import io.changepipe.expr.Functions.Def;
import java.time.Clock;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * SQLite's date(), time(), datetime(), julianday() and strftime(): a time value (row date-time, ISO text, Julian day
 * number, 'now' from the injected clock) and modifiers. Bad input gives NULL, as in SQLite, but a literal modifier
 * or strftime format that could never work is a compile-time error.
 */
final class DateFunctions {

    /** What a function makes of the final date-time. */
    @FunctionalInterface
    private interface Output {
        Object of(LocalDateTime t, boolean subsec, EvalContext ctx);
    }

    private static final Node NOW = new Node.Const("now");

    private DateFunctions() {
    }

    static List<Def> all() {
        return List.of(
                def("date", (t, subsec, ctx) -> SqlTime.date(t)),
                def("time", (t, subsec, ctx) -> SqlTime.time(t, subsec)),
                def("datetime", (t, subsec, ctx) -> SqlTime.dateTime(t, subsec)),
                def("julianday", (t, subsec, ctx) -> SqlTime.julianDay(t)),
                new Def("strftime", 1, Functions.VARARGS, false, DateFunctions::strftime));
    }

    private static Def def(String name, Output out) {
        return new Def(name, 0, Functions.VARARGS, false, (args, clock) -> bind(args, 0, clock, out, true));
    }

    private static Node strftime(Node[] args, Clock clock) {
        Node format = args[0];
        if (Functions.isConstantText(format)) {
            String problem = Strftime.check(Functions.constantText(format));
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
        }
        Output out = (t, subsec, ctx) -> {
            Object f = format.eval(ctx);
            return f == null ? null : Strftime.format(SqlValues.text(f), t);
        };
        return bind(args, 1, clock, out, format instanceof Node.Const);
    }

    /**
     * The node for a call whose time value is {@code args[at]} ('now' when absent) and whose modifiers follow it.
     * With literal modifiers they are parsed here, once; with a literal time value too (not 'now') the whole call
     * is worked out here.
     */
    private static Node bind(Node[] args, int at, Clock clock, Output out, boolean restConstant) {
        Node value = args.length > at ? args[at] : NOW;
        int count = Math.max(0, args.length - at - 1);
        Node[] mods = new Node[count];
        System.arraycopy(args, args.length - count, mods, 0, count);
        DateModifiers fixed = null;
        if (Arrays.stream(mods).allMatch(Functions::isConstantText)) {
            fixed = DateModifiers.parse(Arrays.stream(mods).map(Functions::constantText).toArray(String[]::new));
        }
        DateModifiers fixedMods = fixed;
        Node node = ctx -> {
            DateModifiers m = fixedMods != null ? fixedMods : DateModifiers.parseOrNull(texts(mods, ctx));
            if (m == null) {
                return null;
            }
            LocalDateTime t = SqlTime.of(value.eval(ctx), m.unixEpoch, clock);
            t = t == null ? null : m.apply(t, clock.getZone());
            return SqlTime.inRange(t) ? out.of(t, m.subsec, ctx) : null;
        };
        boolean constant = restConstant && fixed != null && value instanceof Node.Const c && !isNow(c.value());
        return constant ? new Node.Const(node.eval(null)) : node;
    }

    private static String[] texts(Node[] mods, EvalContext ctx) {
        String[] texts = new String[mods.length];
        for (int i = 0; i < mods.length; i++) {
            texts[i] = SqlValues.text(mods[i].eval(ctx));
        }
        return texts;
    }

    private static boolean isNow(Object v) {
        return v instanceof String s && s.strip().equalsIgnoreCase("now");
    }
}
