package io.changepipe.source.mysql;

import java.time.LocalTime;

/**
 * MySQL TIME is a duration from -838:59:59 to 838:59:59. Within a day (00:00:00 to 23:59:59.999999) it becomes a
 * LocalTime; outside, the text MySQL prints for it ({@code -12:30:00.500}, {@code 838:59:59}), as no java.time value
 * fits. Both read paths go through microseconds, so they agree.
 */
final class TimeValues {

    private static final long DAY_MICROS = 86_400_000_000L;

    private TimeValues() {
    }

    static Object of(long micros, int fsp) {
        if (micros >= 0 && micros < DAY_MICROS) {
            return LocalTime.ofNanoOfDay(micros * 1000);
        }
        return text(micros, fsp);
    }

    static String text(long micros, int fsp) {
        long abs = Math.abs(micros);
        long seconds = abs / 1_000_000;
        StringBuilder b = new StringBuilder(micros < 0 ? "-" : "");
        long hours = seconds / 3600;
        b.append(hours < 10 ? "0" : "").append(hours).append(':');
        two(b, seconds / 60 % 60).append(':');
        two(b, seconds % 60);
        if (fsp > 0) {
            b.append('.').append(Long.toString(1_000_000 + abs % 1_000_000), 1, 1 + fsp);
        }
        return b.toString();
    }

    /** Microseconds of MySQL's TIME text ({@code [-]H+:MM:SS[.fraction]}). */
    static long parse(String text) {
        boolean negative = text.startsWith("-");
        String t = negative ? text.substring(1) : text;
        int c1 = t.indexOf(':');
        int c2 = t.indexOf(':', c1 + 1);
        int dot = t.indexOf('.', c2 + 1);
        long hours = Long.parseLong(t.substring(0, c1));
        long minutes = Long.parseLong(t.substring(c1 + 1, c2));
        long seconds = Long.parseLong(t.substring(c2 + 1, dot < 0 ? t.length() : dot));
        long micros = 0;
        if (dot >= 0) {
            String f = (t.substring(dot + 1) + "000000").substring(0, 6);
            micros = Long.parseLong(f);
        }
        long total = ((hours * 60 + minutes) * 60 + seconds) * 1_000_000L + micros;
        return negative ? -total : total;
    }

    private static StringBuilder two(StringBuilder b, long v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
