package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Binlog column types (TABLE_MAP) against column definitions: does a shape fit an event, and a shape from the type alone. */
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
            case TIME -> t == ColumnType.TIME || t == ColumnType.TIME_V2;
            case DATETIME -> t == ColumnType.DATETIME || t == ColumnType.DATETIME_V2;
            case TIMESTAMP -> t == ColumnType.TIMESTAMP || t == ColumnType.TIMESTAMP_V2;
            case TEXT, BINARY_FIXED, BYTES -> t == ColumnType.STRING || t == ColumnType.VARCHAR || t == ColumnType.VAR_STRING
                    || t == ColumnType.BLOB || t == ColumnType.TINY_BLOB || t == ColumnType.MEDIUM_BLOB || t == ColumnType.LONG_BLOB
                    || t == ColumnType.GEOMETRY;
            case ENUM -> t == ColumnType.ENUM;
            case SET -> t == ColumnType.SET;
            case JSON -> t == ColumnType.JSON;
            case OTHER -> true;
        };
    }

    /** A column known only from its binlog type: integers signed, strings UTF-8, ENUM/SET with the binlog's labels. */
    static ColumnDef generic(String name, int type, int meta, List<String> labels) {
        ColumnType t = ColumnType.byCode(realType(type, meta));
        ColumnDef.Kind kind;
        int length = 0;
        int fsp = 0;
        if (t == null) {
            kind = ColumnDef.Kind.OTHER;
        } else {
            switch (t) {
                case TINY, SHORT, INT24, LONG, LONGLONG -> {
                    kind = ColumnDef.Kind.INTEGER;
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
                case STRING, VARCHAR, VAR_STRING -> kind = ColumnDef.Kind.TEXT;
                case ENUM -> kind = ColumnDef.Kind.ENUM;
                case SET -> kind = ColumnDef.Kind.SET;
                case JSON -> kind = ColumnDef.Kind.JSON;
                default -> kind = ColumnDef.Kind.BYTES;
            }
        }
        return new ColumnDef(name, kind, false, kind == ColumnDef.Kind.TEXT || kind == ColumnDef.Kind.JSON ? StandardCharsets.UTF_8 : null,
                length, fsp, labels);
    }
}
