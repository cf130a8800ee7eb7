package io.changepipe.expr;

import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.TokenMgrException;

/**
 * The SQLite-style expressions DMS documents ({@code $col}, {@code ||}, CASE, functions): parsed by JSqlParser and
 * compiled once into a {@link CompiledExpression}. SQLite's {@code ==} is read as {@code =}.
 */
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
            return CCJSqlParserUtil.parseExpression(doubleEqualsAsEquals(text), false);
        } catch (JSQLParserException e) {
            throw new IllegalArgumentException("does not parse as an expression: " + reason(e));
        } catch (TokenMgrException e) {
            // the tokenizer's complaint (an unclosed quote) escapes JSqlParser unwrapped
            throw new IllegalArgumentException("does not parse as an expression: " + reason(new JSQLParserException(e.getMessage(), e)));
        }
    }

    /**
     * The compiled expression; throws IllegalArgumentException with a one-line reason for a parse error, an unknown
     * function, a wrong number of arguments or a bad literal argument (printf format, date modifier).
     */
    public static CompiledExpression compile(String text) {
        return compile(text, null, Clock.systemUTC());
    }

    /** As {@link #compile(String)}, with 'now' read from {@code clock} (tests, replays). */
    public static CompiledExpression compile(String text, Clock clock) {
        return compile(text, null, clock);
    }

    /**
     * As {@link #compile(String)}, when the table's columns are known: a column not among them is a compile error
     * ("unknown column 'x'"), and a name in another case is bound to the column's exact name.
     */
    public static CompiledExpression compile(String text, Set<String> knownColumns) {
        return compile(text, knownColumns, Clock.systemUTC());
    }

    /** {@code knownColumns} may be null (columns not known until rows arrive). */
    public static CompiledExpression compile(String text, Set<String> knownColumns, Clock clock) {
        Node root = new Compiler(knownColumns == null ? null : Set.copyOf(knownColumns), clock).compile(parse(text));
        return new CompiledExpression(text, root);
    }

    /** JSqlParser knows only '='; the second '=' becomes a space so positions in parse errors stay right. */
    private static String doubleEqualsAsEquals(String text) {
        if (!text.contains("==")) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text);
        char quote = 0;
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote; // a doubled quote closes and reopens: still right
            } else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
            } else if (c == '=' && i + 1 < sb.length() && sb.charAt(i + 1) == '=') {
                sb.setCharAt(++i, ' ');
            }
        }
        return sb.toString();
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
