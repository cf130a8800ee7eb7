package io.changepipe.expr;

import io.changepipe.event.Values;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time as SQLite's date functions see it: any time value means a UTC date-time, and date-times print as
 * 'YYYY-MM-DD HH:MM:SS'. Row values print with their fraction in groups of three digits ('.250', '.250500') so that
 * text comparison still orders them.
 */
final class SqlTime {

    static final double UNIX_EPOCH_JULIAN_DAY = 2440587.5;

    private static final LocalDate TIME_ONLY_DATE = LocalDate.of(2000, 1, 1);
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile(
            "(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d+))?)?\\s*(Z|[+-]\\d{2}:?\\d{2})?", Pattern.CASE_INSENSITIVE);

    private SqlTime() {
    }

    /**
     * The UTC date-time a value denotes, or null when it denotes none (SQLite then answers NULL). Numbers are Julian
     * day numbers, or seconds since 1970 with {@code unixEpoch}; text is ISO ('2024-01-31', '2024-01-31 10:00:00.5',
     * 'T' and a 'Z' or '+02:00' suffix allowed, or a time alone on 2000-01-01) or 'now' from the clock.
     */
    static LocalDateTime of(Object v, boolean unixEpoch, Clock clock) {
        if (v == null) {
            return null;
        }
        LocalDateTime dateTime = Values.utcDateTime(v);
        if (dateTime != null) {
            return dateTime;
        }
        if (v instanceof LocalTime t) {
            return TIME_ONLY_DATE.atTime(t);
        }
        Object n = v instanceof String || v instanceof byte[] ? SqlNumbers.parse(SqlValues.text(v), true) : SqlNumbers.toNumber(v);
        if (n != null) {
            return unixEpoch ? fromEpochSeconds(n) : fromJulianDay(n);
        }
        String s = SqlValues.text(v).strip();
        if (unixEpoch) {
            return null;
        }
        if (s.equalsIgnoreCase("now")) {
            return now(clock);
        }
        try {
            return parse(s);
        } catch (DateTimeException e) {
            return null; // '2024-13-01': SQLite gives NULL for a date that is not one
        }
    }

    static LocalDateTime now(Clock clock) {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
    }

    private static LocalDateTime parse(String s) {
        Matcher m = DATE_TIME.matcher(s);
        if (m.matches()) {
            LocalDate date = LocalDate.of(num(m, 1), num(m, 2), num(m, 3));
            LocalDateTime t = m.group(4) == null ? date.atStartOfDay() : date.atTime(time(m, 4));
            return zone(t, m.group(8));
        }
        m = TIME.matcher(s);
        if (m.matches()) {
            return zone(TIME_ONLY_DATE.atTime(time(m, 1)), m.group(5));
        }
        return null;
    }

    private static LocalTime time(Matcher m, int first) {
        String fraction = m.group(first + 3);
        int nanos = fraction == null ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
        return LocalTime.of(num(m, first), num(m, first + 1), m.group(first + 2) == null ? 0 : num(m, first + 2), nanos);
    }

    private static LocalDateTime zone(LocalDateTime t, String suffix) {
        if (suffix == null || suffix.equalsIgnoreCase("z")) {
            return t;
        }
        int sign = suffix.charAt(0) == '-' ? -1 : 1;
        String digits = suffix.substring(1).replace(":", "");
        int minutes = Integer.parseInt(digits.substring(0, 2)) * 60 + Integer.parseInt(digits.substring(2));
        return t.minusMinutes(sign * minutes);
    }

    private static int num(Matcher m, int group) {
        return Integer.parseInt(m.group(group));
    }

    private static LocalDateTime fromEpochSeconds(Object seconds) {
        BigDecimal s = SqlNumbers.decimal(seconds);
        BigDecimal whole = s.setScale(0, RoundingMode.FLOOR);
        try {
            int nanos = s.subtract(whole).movePointRight(9).intValue();
            return LocalDateTime.ofEpochSecond(whole.longValueExact(), nanos, ZoneOffset.UTC);
        } catch (DateTimeException | ArithmeticException outOfRange) {
            return null;
        }
    }

    /** SQLite keeps milliseconds; rounding there also hides the binary noise of a REAL day number. */
    private static LocalDateTime fromJulianDay(Object day) {
        BigDecimal days = SqlNumbers.decimal(day).subtract(BigDecimal.valueOf(UNIX_EPOCH_JULIAN_DAY));
        return fromEpochSeconds(days.multiply(BigDecimal.valueOf(86_400)).setScale(3, RoundingMode.HALF_UP));
    }

    static double julianDay(LocalDateTime t) {
        Instant i = t.toInstant(ZoneOffset.UTC);
        return UNIX_EPOCH_JULIAN_DAY + (i.getEpochSecond() + i.getNano() / 1e9) / 86_400.0;
    }

    /** Whether SQLite can show this date-time (years 0000 to 9999). */
    static boolean inRange(LocalDateTime t) {
        return t != null && t.getYear() >= 0 && t.getYear() <= 9999;
    }

    static String date(LocalDateTime t) {
        StringBuilder sb = new StringBuilder(10);
        appendDate(sb, t.toLocalDate());
        return sb.toString();
    }

    static String time(LocalDateTime t, boolean millis) {
        StringBuilder sb = new StringBuilder(12);
        appendTime(sb, t.toLocalTime(), millis ? 3 : 0);
        return sb.toString();
    }

    static String dateTime(LocalDateTime t, boolean millis) {
        StringBuilder sb = new StringBuilder(23);
        appendDate(sb, t.toLocalDate());
        appendTime(sb.append(' '), t.toLocalTime(), millis ? 3 : 0);
        return sb.toString();
    }

    /** The text of a row's date or time value: 'YYYY-MM-DD', 'HH:MM:SS[.fff]', 'YYYY-MM-DD HH:MM:SS[.fff]' (UTC). */
    static String text(Object v) {
        if (v instanceof LocalDate d) {
            return d.getYear() > 9999 || d.getYear() < 0 ? d.toString() : date(d.atStartOfDay());
        }
        StringBuilder sb = new StringBuilder(26);
        if (v instanceof LocalTime t) {
            appendTime(sb, t, fractionDigits(t.getNano()));
            return sb.toString();
        }
        LocalDateTime t = v instanceof Instant i ? LocalDateTime.ofInstant(i, ZoneOffset.UTC) : (LocalDateTime) v;
        if (t.getYear() > 9999 || t.getYear() < 0) {
            return t.toString();
        }
        appendDate(sb, t.toLocalDate());
        appendTime(sb.append(' '), t.toLocalTime(), fractionDigits(t.getNano()));
        return sb.toString();
    }

    private static int fractionDigits(int nanos) {
        if (nanos == 0) {
            return 0;
        }
        return nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
    }

    static void appendDate(StringBuilder sb, LocalDate d) {
        pad(sb, d.getYear(), 4).append('-');
        pad(sb, d.getMonthValue(), 2).append('-');
        pad(sb, d.getDayOfMonth(), 2);
    }

    static void appendTime(StringBuilder sb, LocalTime t, int fractionDigits) {
        pad(sb, t.getHour(), 2).append(':');
        pad(sb, t.getMinute(), 2).append(':');
        pad(sb, t.getSecond(), 2);
        if (fractionDigits > 0) {
            sb.append('.');
            pad(sb, t.getNano() / (int) Math.pow(10, 9 - fractionDigits), fractionDigits);
        }
    }

    static StringBuilder pad(StringBuilder sb, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        return sb.append(s);
    }
}
