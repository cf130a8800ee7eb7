package io.changepipe.expr;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQLite's date-time modifiers, parsed once per call site when they are literals: '+1 day', '-3 hours', '+2 months',
 * 'start of day|month|year', 'weekday N', 'unixepoch', 'localtime', 'utc' (the clock's zone) and 'subsec'.
 */
final class DateModifiers {

    /** One modifier applied to a date-time; the zone is the clock's, for 'localtime' and 'utc'. */
    @FunctionalInterface
    interface Step {
        LocalDateTime apply(LocalDateTime t, ZoneId zone);
    }

    static final DateModifiers NONE = new DateModifiers(false, false, new Step[0]);

    private static final Pattern AMOUNT = Pattern.compile(
            "([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s+(day|hour|minute|second|month|year)s?");
    private static final Pattern WEEKDAY = Pattern.compile("weekday\\s+([0-6])");

    final boolean unixEpoch;
    final boolean subsec;
    private final Step[] steps;

    private DateModifiers(boolean unixEpoch, boolean subsec, Step[] steps) {
        this.unixEpoch = unixEpoch;
        this.subsec = subsec;
        this.steps = steps;
    }

    /** The modifiers, or an IllegalArgumentException naming the first one that is not understood. */
    static DateModifiers parse(String[] texts) {
        boolean unixEpoch = false;
        boolean subsec = false;
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            if (texts[i] == null) {
                throw new IllegalArgumentException("a date modifier is NULL");
            }
            String m = texts[i].strip().toLowerCase(Locale.ROOT);
            switch (m) {
                case "unixepoch" -> {
                    if (i != 0) {
                        throw new IllegalArgumentException("date modifier 'unixepoch' must come first");
                    }
                    unixEpoch = true;
                }
                case "subsec", "subsecond" -> subsec = true;
                case "start of day" -> steps.add((t, z) -> t.toLocalDate().atStartOfDay());
                case "start of month" -> steps.add((t, z) -> t.toLocalDate().withDayOfMonth(1).atStartOfDay());
                case "start of year" -> steps.add((t, z) -> t.toLocalDate().withDayOfYear(1).atStartOfDay());
                case "localtime" -> steps.add((t, z) -> LocalDateTime.ofInstant(t.toInstant(ZoneOffset.UTC), z));
                case "utc" -> steps.add((t, z) -> LocalDateTime.ofInstant(t.atZone(z).toInstant(), ZoneOffset.UTC));
                default -> steps.add(amountOrWeekday(texts[i], m));
            }
        }
        return steps.isEmpty() && !unixEpoch && !subsec ? NONE : new DateModifiers(unixEpoch, subsec, steps.toArray(Step[]::new));
    }

    /** Like {@link #parse} but null for a bad modifier: one computed from row data makes the result NULL, as in SQLite. */
    static DateModifiers parseOrNull(String[] texts) {
        try {
            return parse(texts);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The date-time after every modifier, or null when it leaves the calendar. */
    LocalDateTime apply(LocalDateTime t, ZoneId zone) {
        try {
            for (Step s : steps) {
                t = s.apply(t, zone);
            }
            return t;
        } catch (DateTimeException | ArithmeticException outOfRange) {
            return null;
        }
    }

    private static Step amountOrWeekday(String original, String m) {
        Matcher w = WEEKDAY.matcher(m);
        if (w.matches()) {
            int want = w.group(1).charAt(0) - '0'; // 0 is Sunday
            return (t, z) -> t.plusDays((want - t.getDayOfWeek().getValue() % 7 + 7) % 7);
        }
        Matcher a = AMOUNT.matcher(m);
        if (!a.matches()) {
            throw new IllegalArgumentException("date modifier '" + original + "' is not understood");
        }
        BigDecimal n = new BigDecimal(a.group(1));
        String unit = a.group(2);
        if (unit.equals("month") || unit.equals("year")) {
            if (n.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException("date modifier '" + original + "' needs a whole number of " + unit + "s");
            }
            long months = n.longValue() * (unit.equals("year") ? 12 : 1);
            return (t, z) -> addMonths(t, months);
        }
        long unitSeconds = switch (unit) {
            case "day" -> 86_400;
            case "hour" -> 3_600;
            case "minute" -> 60;
            default -> 1;
        };
        BigDecimal total = n.multiply(BigDecimal.valueOf(unitSeconds)).setScale(9, RoundingMode.HALF_UP);
        BigDecimal whole = total.setScale(0, RoundingMode.FLOOR);
        long seconds = whole.longValue();
        long nanos = total.subtract(whole).movePointRight(9).longValue();
        return (t, z) -> t.plusSeconds(seconds).plusNanos(nanos);
    }

    /** SQLite keeps the day and lets it overflow: 2024-01-31 '+1 month' is 2024-03-02, not Java's 2024-02-29. */
    private static LocalDateTime addMonths(LocalDateTime t, long months) {
        return t.withDayOfMonth(1).plusMonths(months).plusDays(t.getDayOfMonth() - 1L);
    }
}
