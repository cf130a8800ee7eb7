package io.changepipe.expr;

import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/** Parses the SQLite-style expressions DMS documents ({@code $col}, {@code ||}, CASE, functions) with JSqlParser. */
public final class SqlExpressions {

    private static final Pattern TEMPLATE_NAME = Pattern.compile("\\$?[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private SqlExpressions() {
    }

    /** The parsed tree; throws IllegalArgumentException with a one-line reason when the text is not an expression. */
    public static Expression parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("is an empty expression");
        }
        try {
            return CCJSqlParserUtil.parseExpression(text, false);
        } catch (JSQLParserException e) {
            throw new IllegalArgumentException("does not parse as an expression: " + reason(e));
        }
    }

    private static String reason(JSQLParserException e) {
        Throwable t = e.getCause() != null && e.getMessage() == null ? e.getCause() : e;
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().strip();
        int nl = msg.indexOf('\n');
        msg = nl > 0 ? msg.substring(0, nl) : msg;
        if (msg.startsWith("could only parse partial expression")) {
            return "unexpected text after '" + msg.substring("could only parse partial expression".length()).strip() + "'";
        }
        if (msg.contains("<EOF>")) {
            return "it ends too early";
        }
        return msg.replace("Encountered unexpected token:", "unexpected").replaceAll("\\s+", " ");
    }

    /** Null when the {@code ${name}} template is well formed, else what is wrong. */
    public static String checkTemplate(String text) {
        int at = text.indexOf("${");
        while (at >= 0) {
            int close = text.indexOf('}', at);
            int next = text.indexOf("${", at + 2);
            if (close < 0 || (next >= 0 && next < close)) {
                return "'${' at position " + (at + 1) + " is never closed";
            }
            String name = text.substring(at + 2, close);
            if (!TEMPLATE_NAME.matcher(name).matches()) {
                return "'${" + name + "}' must name a column (${col}), a before-image column (${before.col}) "
                        + "or metadata (${$operation})";
            }
            at = text.indexOf("${", close);
        }
        return null;
    }
}
