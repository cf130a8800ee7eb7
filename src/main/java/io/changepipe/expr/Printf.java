package io.changepipe.expr;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;

/**
 * A parsed printf()/format() pattern: %d %i %f %e %E %x %X %o %s %c %q %Q %% with flags (- + space 0 , #), width
 * and precision, as SQLite reads them. A missing argument counts as NULL; %s of NULL is empty, %d of NULL is 0.
 */
final class Printf {

    /** One conversion: the SQLite letter and the java.util.Formatter pattern that does the work. */
    private record Spec(char conversion, String javaPattern) {

        String apply(Object v) {
            return String.format(Locale.ROOT, javaPattern, argument(conversion, v));
        }
    }

    private static final String CONVERSIONS = "difeExXoscqQ";

    private final List<Object> parts; // String literals and Specs

    private Printf(List<Object> parts) {
        this.parts = parts;
    }

    /** The parsed pattern, or an IllegalArgumentException saying what is wrong with it. */
    static Printf parse(String format) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i++);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            int start = i;
            while (i < format.length() && "-+ 0,#".indexOf(format.charAt(i)) >= 0) {
                i++;
            }
            while (i < format.length() && (Character.isDigit(format.charAt(i)) || format.charAt(i) == '.')) {
                i++;
            }
            if (i == format.length()) {
                throw new IllegalArgumentException("printf format '" + format + "' ends inside a conversion");
            }
            char conversion = format.charAt(i++);
            if (conversion == '%' && i == start + 1) {
                literal.append('%');
                continue;
            }
            if (CONVERSIONS.indexOf(conversion) < 0) {
                throw new IllegalArgumentException("printf format '" + format + "' has an unknown conversion '%"
                        + format.substring(start, i) + "'");
            }
            if (literal.length() > 0) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(spec(format, format.substring(start, i - 1), conversion));
        }
        if (literal.length() > 0) {
            parts.add(literal.toString());
        }
        return new Printf(List.copyOf(parts));
    }

    private static Spec spec(String format, String flagsWidthPrecision, char conversion) {
        String fwp = flagsWidthPrecision;
        boolean integer = "dixXo".indexOf(conversion) >= 0;
        if (integer && fwp.indexOf('.') >= 0) {
            fwp = fwp.substring(0, fwp.indexOf('.')); // SQLite's minimum digit count has no Formatter equivalent
        }
        String java = switch (conversion) {
            case 'd', 'i' -> "d";
            case 'c', 'q', 'Q' -> "s";
            default -> String.valueOf(conversion);
        };
        Spec spec = new Spec(conversion, "%" + fwp + java);
        try {
            spec.apply(null); // Formatter rejects flag mixes such as "%-05d" here rather than per row
        } catch (IllegalFormatException e) {
            throw new IllegalArgumentException("printf format '" + format + "' has a bad conversion '%"
                    + flagsWidthPrecision + conversion + "'");
        }
        return spec;
    }

    String format(Object[] args) {
        StringBuilder sb = new StringBuilder();
        int next = 0;
        for (Object part : parts) {
            if (part instanceof Spec spec) {
                sb.append(spec.apply(next < args.length ? args[next] : null));
                next++;
            } else {
                sb.append((String) part);
            }
        }
        return sb.toString();
    }

    private static Object argument(char conversion, Object v) {
        switch (conversion) {
            case 'd', 'i', 'x', 'X', 'o' -> {
                Object n = SqlNumbers.toNumber(v == null ? 0L : v);
                return n instanceof Long || n instanceof BigInteger ? n : SqlNumbers.integer(SqlNumbers.bigInteger(n));
            }
            case 'f', 'e', 'E' -> {
                Object n = SqlNumbers.toNumber(v == null ? 0L : v);
                return n instanceof Double ? n : SqlNumbers.decimal(n);
            }
            case 'c' -> {
                String t = v == null ? "" : SqlValues.text(v);
                return t.isEmpty() ? "" : t.substring(0, t.offsetByCodePoints(0, 1));
            }
            case 'q' -> {
                return v == null ? "(NULL)" : SqlValues.text(v).replace("'", "''");
            }
            case 'Q' -> {
                return v == null ? "NULL" : "'" + SqlValues.text(v).replace("'", "''") + "'";
            }
            default -> {
                return v == null ? "" : SqlValues.text(v);
            }
        }
    }
}
