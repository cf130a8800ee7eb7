package io.changepipe.dms;

import java.util.regex.Pattern;

/**
 * A DMS object-locator name with wildcards: {@code %} any run, {@code _} one character, {@code [_]} a literal
 * underscore, {@code [ab]} a set, {@code [a-d]} a range. Matching is case-sensitive, as DMS selection rules are.
 */
public final class DmsPattern {

    private final String text;
    private final Pattern regex;
    private final boolean literal;

    private DmsPattern(String text, Pattern regex, boolean literal) {
        this.text = text;
        this.regex = regex;
        this.literal = literal;
    }

    /** Compiles the pattern; throws IllegalArgumentException saying what is wrong with it. */
    public static DmsPattern compile(String text) {
        StringBuilder re = new StringBuilder();
        boolean literal = true;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '%') {
                re.append(".*");
                literal = false;
                i++;
            } else if (c == '_') {
                re.append('.');
                literal = false;
                i++;
            } else if (c == '[') {
                int close = text.indexOf(']', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("'[' at position " + (i + 1) + " is never closed");
                }
                String set = text.substring(i + 1, close);
                if (set.isEmpty()) {
                    throw new IllegalArgumentException("'[]' at position " + (i + 1) + " is an empty set and never matches");
                }
                if (set.length() == 1) {
                    re.append(Pattern.quote(set));
                } else {
                    literal = false;
                    re.append(characterClass(set, i + 1));
                }
                i = close + 1;
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
                i++;
            }
        }
        return new DmsPattern(text, Pattern.compile(re.toString()), literal);
    }

    private static String characterClass(String set, int position) {
        StringBuilder cls = new StringBuilder("[");
        for (int j = 0; j < set.length(); j++) {
            char c = set.charAt(j);
            if (c == '-' && j > 0 && j < set.length() - 1) {
                if (set.charAt(j - 1) > set.charAt(j + 1)) {
                    throw new IllegalArgumentException("range '" + set.charAt(j - 1) + "-" + set.charAt(j + 1)
                            + "' at position " + position + " is backwards and never matches");
                }
                cls.append('-');
            } else {
                cls.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
            }
        }
        return cls.append(']').toString();
    }

    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    /** True when the pattern has no wildcard, so it names exactly one object. */
    public boolean isLiteral() {
        return literal;
    }

    /** The one name a literal pattern stands for ({@code [_]} unescaped). */
    public String literalName() {
        return text.replace("[_]", "_").replace("[%]", "%").replace("[[]", "[");
    }

    /** True when every name this pattern matches is also matched by {@code other}; exact for literals and {@code %}. */
    public boolean coveredBy(DmsPattern other) {
        if (other.text.equals("%") || other.text.equals(text)) {
            return true;
        }
        return literal && other.matches(literalName());
    }

    @Override
    public String toString() {
        return text;
    }
}
