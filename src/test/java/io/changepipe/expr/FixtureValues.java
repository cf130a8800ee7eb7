package io.changepipe.expr;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The typed literals of {@code cases.txt}: 12 (Long, BigInteger when larger), 1.50 (BigDecimal, scale kept), 7m
 * (BigDecimal without a point), 1.5d (Double), 1.5f (Float), 3i (Integer), 'text' ('' for a quote), x'0A' (blob),
 * true/false, null, D'2024-01-31', DT'2024-01-31T10:00:00', TS'2024-01-31T10:00:00Z' (Instant), T'10:00:00'.
 */
final class FixtureValues {

    private FixtureValues() {
    }

    static Object parse(String token) {
        String t = token.strip();
        if (t.equalsIgnoreCase("null")) {
            return null;
        }
        if (t.equals("true") || t.equals("false")) {
            return Boolean.valueOf(t);
        }
        int quote = t.indexOf('\'');
        if (quote >= 0) {
            String prefix = t.substring(0, quote);
            String body = t.substring(quote + 1, t.length() - 1).replace("''", "'");
            return switch (prefix) {
                case "" -> body;
                case "x", "X" -> HexFormat.of().parseHex(body);
                case "D" -> LocalDate.parse(body);
                case "DT" -> LocalDateTime.parse(body);
                case "TS" -> Instant.parse(body);
                case "T" -> LocalTime.parse(body);
                default -> throw new IllegalArgumentException("unknown literal prefix in " + token);
            };
        }
        char suffix = t.charAt(t.length() - 1);
        String digits = t.substring(0, t.length() - 1);
        return switch (suffix) {
            case 'd' -> Double.parseDouble(digits);
            case 'f' -> Float.parseFloat(digits);
            case 'i' -> Integer.parseInt(digits);
            case 'm' -> new BigDecimal(digits);
            default -> t.contains(".") ? new BigDecimal(t) : SqlNumbers.integer(new BigInteger(t));
        };
    }

    /** A value with its Java type, so that 3 (Long), 3m (BigDecimal) and true never pass for each other. */
    static String describe(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof String s) {
            return "'" + s.replace("'", "''") + "'";
        }
        if (v instanceof byte[] b) {
            return "x'" + HexFormat.of().withUpperCase().formatHex(b) + "'";
        }
        if (v instanceof BigDecimal d) {
            return "BigDecimal " + d.toPlainString();
        }
        return v.getClass().getSimpleName() + " " + v;
    }

    /** Splits "a, b, 'c, d'" on the commas outside quotes. */
    static List<String> splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        if (!s.substring(start).isBlank()) {
            parts.add(s.substring(start).strip());
        }
        return parts;
    }
}
