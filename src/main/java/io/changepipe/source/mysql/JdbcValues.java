package io.changepipe.source.mysql;

import io.changepipe.event.Values;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Full-load values, per column, equal to what the binlog path gives for the same row. It relies on the session and
 * driver settings {@link Connections} makes: {@code time_zone='+00:00'} (TIMESTAMP read as UTC), server-side prepared
 * statements (the binary protocol sends FLOAT and DOUBLE exactly; text would round FLOAT to 6 digits), zero dates as
 * null, TINYINT(1) and YEAR as numbers. TIME is selected as text ({@link #select}), as the binary protocol drops
 * the sign of negative times.
 */
final class JdbcValues {

    private JdbcValues() {
    }

    /** The select-list item that reads column {@code c} (quoted name). */
    static String select(ColumnDef c) {
        String q = Sql.quote(c.name());
        return c.kind() == ColumnDef.Kind.TIME ? "CAST(" + q + " AS CHAR)" : q;
    }

    static Object read(ResultSet rs, int i, ColumnDef c) throws SQLException {
        return switch (c.kind()) {
            case INTEGER, YEAR -> {
                long v = rs.getLong(i);
                yield rs.wasNull() ? null : (Object) v;
            }
            case UNSIGNED_BIGINT -> {
                BigDecimal d = rs.getBigDecimal(i);
                yield d == null ? null : Values.integer(d.toBigInteger());
            }
            case DECIMAL -> rs.getBigDecimal(i);
            case FLOAT -> {
                float v = rs.getFloat(i);
                yield rs.wasNull() ? null : (Object) v;
            }
            case DOUBLE -> {
                double v = rs.getDouble(i);
                yield rs.wasNull() ? null : (Object) v;
            }
            case BIT -> {
                byte[] b = rs.getBytes(i);
                yield b == null ? null : BinlogCells.unsigned(b);
            }
            case DATE -> rs.getObject(i, LocalDate.class);
            case DATETIME -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP -> {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                yield t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            case TIME -> {
                String t = rs.getString(i);
                yield t == null ? null : TimeValues.of(TimeValues.parse(t), c.fsp());
            }
            case TEXT, ENUM, SET -> rs.getString(i);
            case JSON -> {
                String j = rs.getString(i);
                yield j == null ? null : JsonText.canonical(j);
            }
            case OTHER -> rs.getString(i);
            case BINARY_FIXED, BYTES -> rs.getBytes(i);
        };
    }
}
