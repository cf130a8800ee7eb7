package io.changepipe.event;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row image: values by column, in the table's column order. Values keep their SQL meaning:
 * {@code Long}/{@code java.math.BigInteger} for integers (unsigned BIGINT beyond 2^63 stays exact),
 * {@code java.math.BigDecimal} for DECIMAL, {@code Double}/{@code Float}, {@code String}, {@code byte[]},
 * {@code java.time.LocalDate}/{@code LocalTime}/{@code LocalDateTime} (DATETIME), {@code java.time.Instant}
 * (TIMESTAMP), {@code Boolean}, or {@code null}. Rows are immutable; "changing" one makes a new row.
 */
public final class Row {

    private final Columns columns;
    private final Object[] values;

    public Row(Columns columns, Object[] values) {
        if (columns.size() != values.length) {
            throw new IllegalArgumentException(columns.size() + " columns but " + values.length + " values");
        }
        this.columns = columns;
        this.values = values;
    }

    /** A row from alternating names and values: {@code Row.of("id", 1L, "name", "a")}. */
    public static Row of(Object... namesAndValues) {
        String[] names = new String[namesAndValues.length / 2];
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) namesAndValues[2 * i];
            values[i] = namesAndValues[2 * i + 1];
        }
        return new Row(Columns.of(names), values);
    }

    public Columns columns() {
        return columns;
    }

    public int size() {
        return values.length;
    }

    public Object value(int i) {
        return values[i];
    }

    public boolean has(String column) {
        return columns.indexOf(column) >= 0;
    }

    /** The value of {@code column}, or null when the row has no such column (use {@link #has} to tell the two apart). */
    public Object get(String column) {
        int i = columns.indexOf(column);
        return i < 0 ? null : values[i];
    }

    /** A copy with {@code column} set, appended at the end when the row does not have it. */
    public Row with(String column, Object value) {
        int i = columns.indexOf(column);
        if (i >= 0) {
            Object[] v = values.clone();
            v[i] = value;
            return new Row(columns, v);
        }
        String[] names = Arrays.copyOf(columns.names().toArray(String[]::new), values.length + 1);
        names[values.length] = column;
        Object[] v = Arrays.copyOf(values, values.length + 1);
        v[values.length] = value;
        return new Row(Columns.of(names), v);
    }

    /** A rough size in memory (values and their boxes; names are shared), for bounding what is in flight. */
    public long estimatedBytes() {
        long n = 16L + 8L * values.length;
        for (Object v : values) {
            if (v instanceof String s) {
                n += 40L + s.length();
            } else if (v instanceof byte[] b) {
                n += 16L + b.length;
            } else if (v != null) {
                n += 24;
            }
        }
        return n;
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            m.put(columns.name(i), values[i]);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.columns.equals(columns) && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(columns, Arrays.deepHashCode(values));
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
