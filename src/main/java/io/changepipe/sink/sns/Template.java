package io.changepipe.sink.sns;

import io.changepipe.expr.EvalContext;
import io.changepipe.expr.ExpressionException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A subject, message or dedupe-key template: text with {@code ${col}}, {@code ${before.col}} and {@code ${$operation}},
 * {@code ${$table}}, {@code ${$schema}}, {@code ${$commit_timestamp}}, parsed once. Values render as plain text:
 * decimals without exponent, dates and times ISO-8601, bytes as hex, null as nothing.
 */
final class Template {

    private final String text;
    private final List<String> literals = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    private Template(String text) {
        this.text = text;
    }

    /** Parses {@code text}; the pipeline parser has already checked it, so a malformed reference is a programming error. */
    static Template parse(String text) {
        Template t = new Template(text);
        int from = 0;
        int at = text.indexOf("${");
        while (at >= 0) {
            int close = text.indexOf('}', at);
            if (close < 0) {
                throw new IllegalArgumentException("'${' at position " + (at + 1) + " is never closed in template '" + text + "'");
            }
            t.literals.add(text.substring(from, at));
            t.names.add(text.substring(at + 2, close));
            from = close + 1;
            at = text.indexOf("${", from);
        }
        t.literals.add(text.substring(from));
        return t;
    }

    /** The text for one change; an unknown column is an ExpressionException naming the template. */
    String render(EvalContext ctx) {
        StringBuilder b = new StringBuilder(literals.get(0));
        for (int i = 0; i < names.size(); i++) {
            b.append(text(value(names.get(i), ctx))).append(literals.get(i + 1));
        }
        return b.toString();
    }

    private Object value(String name, EvalContext ctx) {
        if (name.startsWith("$")) {
            String meta = name.substring(1);
            Object v = ctx.meta(meta);
            if (v != null || isMetaName(meta)) {
                return v;
            }
            name = meta;
        }
        if (name.startsWith("before.")) {
            String col = name.substring("before.".length());
            if (!ctx.hasBefore(col)) {
                throw new ExpressionException(text, "the change has no before image column '" + col + "'");
            }
            return ctx.before(col);
        }
        if (!ctx.hasColumn(name)) {
            throw new ExpressionException(text, "no column '" + name + "'");
        }
        return ctx.column(name);
    }

    private static boolean isMetaName(String name) {
        return switch (name) {
            case "operation", "table", "schema", "commit_timestamp" -> true;
            default -> name.startsWith("AR_H_") || name.startsWith("AR_M_");
        };
    }

    /** Plain text of a row value. */
    static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if ((v instanceof Double || v instanceof Float) && Double.isFinite(((Number) v).doubleValue())) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
        }
        if (v instanceof byte[] bytes) {
            return HexFormat.of().withUpperCase().formatHex(bytes);
        }
        if (v instanceof LocalDateTime t) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t);
        }
        if (v instanceof LocalTime t) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(t);
        }
        if (v instanceof Instant t) {
            return DateTimeFormatter.ISO_INSTANT.format(t);
        }
        return v.toString();
    }

    @Override
    public String toString() {
        return text;
    }
}
