package io.changepipe.source.mysql;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Binlog cells (as {@link BinlogDeserializer} decodes them) as row values, per column. The binlog writes integers
 * signed, CHAR/BINARY as bytes, BINARY(n) without its trailing zero bytes, ENUM as an index and SET as a bit mask;
 * the column definition turns each into the value a SELECT of the row gives ({@link JdbcValues}).
 */
final class BinlogValues {

    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    private BinlogValues() {
    }

    static Object convert(Object v, ColumnDef c) {
        if (v == null) {
            return null;
        }
        return switch (c.kind()) {
            case INTEGER -> integer(v, c);
            case UNSIGNED_BIGINT -> {
                long x = ((Number) v).longValue();
                yield x >= 0 ? (Object) x : BigInteger.valueOf(x).add(TWO_64);
            }
            case TEXT -> v instanceof byte[] b ? new String(b, c.charset()) : v.toString();
            case BINARY_FIXED -> {
                byte[] b = (byte[]) v;
                yield b.length >= c.length() ? b : Arrays.copyOf(b, c.length());
            }
            case ENUM -> label(((Number) v).intValue(), c.labels());
            case SET -> labels(((Number) v).longValue(), c.labels());
            case JSON -> JsonText.fromBinary((byte[]) v);
            case TIME -> TimeValues.of((Long) v, c.fsp());
            case OTHER -> v instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : v;
            // DECIMAL, FLOAT, DOUBLE, BIT, YEAR, DATE, DATETIME, TIMESTAMP, BYTES: decoded exactly already
            default -> v;
        };
    }

    private static Object integer(Object v, ColumnDef c) {
        long x = ((Number) v).longValue();
        if (c.unsigned() && x < 0 && c.length() < 8) {
            x += 1L << (8 * c.length());
        }
        return x;
    }

    private static String label(int index, List<String> labels) {
        return index <= 0 || index > labels.size() ? "" : labels.get(index - 1);
    }

    private static String labels(long mask, List<String> labels) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < labels.size() && i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                if (!b.isEmpty()) {
                    b.append(',');
                }
                b.append(labels.get(i));
            }
        }
        return b.toString();
    }
}
