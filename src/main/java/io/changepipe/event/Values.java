package io.changepipe.event;

import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** The coercions every reader of row values shares, so that sources, rules and expressions agree on them. */
public final class Values {

    private Values() {
    }

    /** An integer as rows hold it: a Long when it fits in 64 bits, else the BigInteger. */
    public static Object integer(BigInteger b) {
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    /** The date-time a date, date-time or instant denotes (dates at midnight, instants in UTC); null for any other value. */
    public static LocalDateTime utcDateTime(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        if (v instanceof Instant i) {
            return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        }
        return null;
    }
}
