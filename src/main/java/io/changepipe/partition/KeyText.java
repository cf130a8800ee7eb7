package io.changepipe.partition;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/**
 * A column value as partition-key text: integers and decimals in plain form ({@code toPlainString}, no exponent),
 * strings as they are, null as the empty string, bytes as lower-case hex without prefix, dates and times ISO-8601
 * ({@code 2024-03-01}, {@code 2024-03-01T09:05:07}, {@code 09:05:07.5}, instants {@code 2024-03-01T08:05:07Z}), other
 * values (Double, Boolean) by {@code toString}.
 */
final class KeyText {

    private KeyText() {
    }

    static void append(StringBuilder b, Object v) {
        if (v == null) {
            return;
        }
        if (v instanceof String s) {
            b.append(s);
        } else if (v instanceof BigDecimal d) {
            b.append(d.toPlainString());
        } else if (v instanceof byte[] bytes) {
            b.append(HexFormat.of().formatHex(bytes));
        } else if (v instanceof LocalDateTime t) {
            b.append(DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
        } else if (v instanceof LocalTime t) {
            b.append(DateTimeFormatter.ISO_LOCAL_TIME.format(t));
        } else {
            // Long, BigInteger, LocalDate, Instant, Double, Boolean: their toString is already the plain/ISO form
            b.append(v);
        }
    }
}
