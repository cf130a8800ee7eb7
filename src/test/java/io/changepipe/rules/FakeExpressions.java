package io.changepipe.rules;

import io.changepipe.expr.EvalContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A stand-in for the expression language, enough for rule tests: {@code $col} (metadata names first, as the real
 * language does), {@code before.col}, {@code 'text'}, integers, {@code ||} (null if any part is null), and
 * {@code fail()}, which throws when evaluated. Anything else does not compile.
 */
final class FakeExpressions implements ExpressionCompiler {

    private static final Pattern NAME = Pattern.compile("\\$?[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Set<String> META = Set.of("operation", "table", "schema", "commit_timestamp", "AR_H_STREAM_POSITION",
            "AR_H_TIMESTAMP", "AR_H_COMMIT_TIMESTAMP", "AR_H_TRANSACTION_ID", "AR_H_OPERATION", "AR_M_SOURCE_SCHEMA",
            "AR_M_SOURCE_TABLE_NAME");

    @Override
    public Evaluator compile(String expression) {
        List<Evaluator> parts = new ArrayList<>();
        for (String raw : split(expression)) {
            parts.add(part(raw.trim(), expression));
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        return ctx -> {
            StringBuilder sb = new StringBuilder();
            for (Evaluator p : parts) {
                Object v = p.evaluate(ctx);
                if (v == null) {
                    return null;
                }
                sb.append(SqlValues.text(v));
            }
            return sb.toString();
        };
    }

    private static Evaluator part(String p, String expression) {
        if (p.equals("fail()")) {
            return ctx -> {
                throw new IllegalStateException("fail() was called");
            };
        }
        if (p.length() >= 2 && p.startsWith("'") && p.endsWith("'")) {
            String text = p.substring(1, p.length() - 1).replace("''", "'");
            return ctx -> text;
        }
        if (INTEGER.matcher(p).matches()) {
            long n = Long.parseLong(p);
            return ctx -> n;
        }
        if (p.startsWith("before.") && NAME.matcher(p.substring(7)).matches()) {
            String name = p.substring(7);
            return ctx -> ctx.before(name);
        }
        if (NAME.matcher(p).matches()) {
            boolean dollar = p.startsWith("$");
            String name = dollar ? p.substring(1) : p;
            return ctx -> column(ctx, name, dollar);
        }
        throw new IllegalArgumentException("the test compiler does not understand '" + p + "'");
    }

    private static Object column(EvalContext ctx, String name, boolean dollar) {
        if (dollar && META.contains(name)) {
            return ctx.meta(name);
        }
        if (!ctx.hasColumn(name)) {
            throw new IllegalArgumentException("no column '" + name + "'");
        }
        return ctx.column(name);
    }

    private static List<String> split(String expression) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && c == '|' && i + 1 < expression.length() && expression.charAt(i + 1) == '|') {
                parts.add(expression.substring(start, i));
                start = i + 2;
                i++;
            }
        }
        parts.add(expression.substring(start));
        return parts;
    }
}
