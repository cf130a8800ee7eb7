package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Binlog column types (TABLE_MAP) against column definitions: does a shape fit an event, and a column from the event alone. */
final class BinlogTypes {

    private BinlogTypes() {
    }

    /** The type a STRING column really has (ENUM, SET and long CHAR hide in STRING's metadata), as the connector reads it. */
    static int realType(int type, int meta) {
        if (type == ColumnType.STRING.getCode() && meta >= 256) {
            int meta0 = meta >> 8;
            return (meta0 & 0x30) != 0x30 ? meta0 | 0x30 : meta0;
        }
        return type;
    }

    /** The byte length of a STRING column (CHAR, BINARY) from its metadata, as the connector reads it. */
    static int stringLength(int meta) {
        int meta0 = meta >> 8;
        return (meta0 & 0x30) != 0x30 ? (meta & 0xFF) | (((meta0 & 0x30) ^ 0x30) << 4) : meta & 0xFF;
    }

    /** Type, integer width, BINARY(n) length and TIME fraction digits: the column attributes every TABLE_MAP carries. */
    static boolean fits(ColumnDef c, int type, int meta) {
        ColumnType t = ColumnType.byCode(realType(type, meta));
        if (t == null) {
            return c.kind() == ColumnDef.Kind.OTHER;
        }
        return switch (c.kind()) {
            case INTEGER -> switch (t) {
                case TINY -> c.length() == 1;
                case SHORT -> c.length() == 2;
                case INT24 -> c.length() == 3;
                case LONG -> c.length() == 4;
                case LONGLONG -> c.length() == 8;
                default -> false;
            };
            case UNSIGNED_BIGINT -> t == ColumnType.LONGLONG;
            case DECIMAL -> t == ColumnType.NEWDECIMAL || t == ColumnType.DECIMAL;
            case FLOAT -> t == ColumnType.FLOAT;
            case DOUBLE -> t == ColumnType.DOUBLE;
            case BIT -> t == ColumnType.BIT;
            case YEAR -> t == ColumnType.YEAR;
            case DATE -> t == ColumnType.DATE || t == ColumnType.NEWDATE;
            case TIME -> t == ColumnType.TIME ? c.fsp() == 0 : t == ColumnType.TIME_V2 && c.fsp() == meta;
            case DATETIME -> t == ColumnType.DATETIME || t == ColumnType.DATETIME_V2;
            case TIMESTAMP -> t == ColumnType.TIMESTAMP || t == ColumnType.TIMESTAMP_V2;
            case BINARY_FIXED -> t == ColumnType.STRING && c.length() == stringLength(meta);
            case TEXT, BYTES -> t == ColumnType.STRING || t == ColumnType.VARCHAR || t == ColumnType.VAR_STRING
                    || t == ColumnType.BLOB || t == ColumnType.TINY_BLOB || t == ColumnType.MEDIUM_BLOB || t == ColumnType.LONG_BLOB
                    || t == ColumnType.GEOMETRY;
            case ENUM -> t == ColumnType.ENUM;
            case SET -> t == ColumnType.SET;
            case JSON -> t == ColumnType.JSON;
            case OTHER -> true;
        };
    }

    /**
     * A column known only from a TABLE_MAP event (written before a table change): its binlog type and what the event's
     * metadata says ({@link BinlogColumns#missing} is empty for it).
     */
    static ColumnDef generic(BinlogColumns.Column b) {
        int meta = b.meta();
        ColumnType t = ColumnType.byCode(b.real());
        ColumnDef.Kind kind;
        int length = 0;
        int fsp = 0;
        Charset charset = null;
        boolean unsigned = Boolean.TRUE.equals(b.unsigned());
        if (t == null) {
            kind = ColumnDef.Kind.OTHER;
        } else {
            switch (t) {
                case TINY, SHORT, INT24, LONG, LONGLONG -> {
                    kind = t == ColumnType.LONGLONG && unsigned ? ColumnDef.Kind.UNSIGNED_BIGINT : ColumnDef.Kind.INTEGER;
                    length = switch (t) {
                        case TINY -> 1;
                        case SHORT -> 2;
                        case INT24 -> 3;
                        case LONG -> 4;
                        default -> 8;
                    };
                }
                case NEWDECIMAL, DECIMAL -> kind = ColumnDef.Kind.DECIMAL;
                case FLOAT -> kind = ColumnDef.Kind.FLOAT;
                case DOUBLE -> kind = ColumnDef.Kind.DOUBLE;
                case BIT -> kind = ColumnDef.Kind.BIT;
                case YEAR -> kind = ColumnDef.Kind.YEAR;
                case DATE, NEWDATE -> kind = ColumnDef.Kind.DATE;
                case TIME, TIME_V2 -> {
                    kind = ColumnDef.Kind.TIME;
                    fsp = t == ColumnType.TIME_V2 ? meta : 0;
                }
                case DATETIME, DATETIME_V2 -> kind = ColumnDef.Kind.DATETIME;
                case TIMESTAMP, TIMESTAMP_V2 -> kind = ColumnDef.Kind.TIMESTAMP;
                case STRING, VARCHAR, VAR_STRING, BLOB, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB -> {
                    charset = Charsets.forMySql(b.charset(), b.name());
                    if (charset != null) {
                        kind = ColumnDef.Kind.TEXT;
                    } else if (t == ColumnType.STRING) {
                        kind = ColumnDef.Kind.BINARY_FIXED;
                        length = stringLength(meta);
                    } else {
                        kind = ColumnDef.Kind.BYTES;
                    }
                }
                case ENUM -> kind = ColumnDef.Kind.ENUM;
                case SET -> kind = ColumnDef.Kind.SET;
                case JSON -> {
                    kind = ColumnDef.Kind.JSON;
                    charset = StandardCharsets.UTF_8;
                }
                default -> kind = ColumnDef.Kind.BYTES;
            }
        }
        return new ColumnDef(b.name(), kind, unsigned, charset, length, fsp, b.labels() == null ? List.of() : b.labels());
    }
}
