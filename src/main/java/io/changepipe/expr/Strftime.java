package io.changepipe.expr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** SQLite's strftime() conversions: %d %e %f %F %H %I %j %J %k %l %m %M %p %P %R %s %S %T %u %w %W %Y and %%. */
final class Strftime {

    private static final String KNOWN = "defFHIjJklmMpPRsSTuwWY%";

    private Strftime() {
    }

    /** Null when the format is good, else what is wrong with it. */
    static String check(String format) {
        for (int i = 0; i < format.length(); i++) {
            if (format.charAt(i) == '%') {
                if (i + 1 == format.length()) {
                    return "strftime format '" + format + "' ends with a lone '%'";
                }
                char c = format.charAt(++i);
                if (KNOWN.indexOf(c) < 0) {
                    return "strftime format '" + format + "' has an unknown conversion '%" + c + "'";
                }
            }
        }
        return null;
    }

    /** The formatted date-time, or null for a bad format (SQLite answers NULL). */
    static String format(String format, LocalDateTime t) {
        StringBuilder sb = new StringBuilder(format.length() + 16);
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%') {
                sb.append(c);
            } else if (i + 1 == format.length() || !conversion(sb, format.charAt(++i), t)) {
                return null;
            }
        }
        return sb.toString();
    }

    private static boolean conversion(StringBuilder sb, char c, LocalDateTime t) {
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        switch (c) {
            case 'd' -> SqlTime.pad(sb, t.getDayOfMonth(), 2);
            case 'e' -> spaced(sb, t.getDayOfMonth());
            case 'f' -> SqlTime.pad(sb, t.getSecond(), 2).append('.').append(SqlTime.pad(new StringBuilder(), t.getNano() / 1_000_000, 3));
            case 'F' -> SqlTime.appendDate(sb, t.toLocalDate());
            case 'H' -> SqlTime.pad(sb, t.getHour(), 2);
            case 'I' -> SqlTime.pad(sb, hour12, 2);
            case 'j' -> SqlTime.pad(sb, t.getDayOfYear(), 3);
            case 'J' -> sb.append(new BigDecimal(SqlTime.julianDay(t)).round(new MathContext(16)).stripTrailingZeros().toPlainString());
            case 'k' -> spaced(sb, t.getHour());
            case 'l' -> spaced(sb, hour12);
            case 'm' -> SqlTime.pad(sb, t.getMonthValue(), 2);
            case 'M' -> SqlTime.pad(sb, t.getMinute(), 2);
            case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
            case 'P' -> sb.append(t.getHour() < 12 ? "am" : "pm");
            case 'R' -> SqlTime.pad(SqlTime.pad(sb, t.getHour(), 2).append(':'), t.getMinute(), 2);
            case 's' -> sb.append(t.toEpochSecond(ZoneOffset.UTC));
            case 'S' -> SqlTime.pad(sb, t.getSecond(), 2);
            case 'T' -> SqlTime.appendTime(sb, t.toLocalTime(), 0);
            case 'u' -> sb.append(t.getDayOfWeek().getValue());
            case 'w' -> sb.append(t.getDayOfWeek().getValue() % 7);
            case 'W' -> SqlTime.pad(sb, (t.getDayOfYear() - 1 + 7 - (t.getDayOfWeek().getValue() - 1)) / 7, 2);
            case 'Y' -> SqlTime.pad(sb, t.getYear(), 4);
            case '%' -> sb.append('%');
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void spaced(StringBuilder sb, int value) {
        sb.append(value < 10 ? " " : "").append(value);
    }
}
