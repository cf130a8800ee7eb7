package io.changepipe.source.mysql;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One column as the converters need it: how its values read ({@link Kind}), whether an integer is unsigned, the
 * charset of text, {@code length} (bytes of an integer type, of a fixed BINARY), the fraction digits of a time, and
 * ENUM/SET labels.
 */
record ColumnDef(String name, Kind kind, boolean unsigned, Charset charset, int length, int fsp, List<String> labels) {

    ColumnDef {
        labels = List.copyOf(labels);
    }

    /** How a column's values become Java values; the same on the full-load and the binlog path. */
    enum Kind {
        INTEGER, UNSIGNED_BIGINT, DECIMAL, FLOAT, DOUBLE, BIT, YEAR, DATE, TIME, DATETIME, TIMESTAMP,
        TEXT, BINARY_FIXED, BYTES, ENUM, SET, JSON, OTHER
    }

    /** A column from information_schema.COLUMNS; {@code mysqlJson} when JSON is MySQL's binary type (not MariaDB's text). */
    static ColumnDef of(String name, String dataType, String columnType, String charsetName, long octetLength, int fsp,
            boolean mysqlJson) {
        String type = dataType.toLowerCase(Locale.ROOT);
        boolean unsigned = columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        Kind kind = kind(type, unsigned, mysqlJson);
        Charset charset = kind == Kind.TEXT || kind == Kind.JSON ? Charsets.forMySql(charsetName, name) : null;
        if (kind == Kind.TEXT && charset == null) {
            kind = Kind.BYTES; // CHAR/TEXT with the binary charset behave as BINARY/BLOB
        }
        List<String> labels = kind == Kind.ENUM || kind == Kind.SET ? labels(columnType) : List.of();
        int length = switch (type) {
            case "tinyint" -> 1;
            case "smallint" -> 2;
            case "mediumint" -> 3;
            case "int", "integer" -> 4;
            case "bigint" -> 8;
            default -> (int) Math.min(Integer.MAX_VALUE, octetLength);
        };
        return new ColumnDef(name, kind, unsigned, charset, length, Math.max(fsp, 0), labels);
    }

    private static Kind kind(String type, boolean unsigned, boolean mysqlJson) {
        return switch (type) {
            case "tinyint", "smallint", "mediumint", "int", "integer" -> Kind.INTEGER;
            case "bigint" -> unsigned ? Kind.UNSIGNED_BIGINT : Kind.INTEGER;
            case "decimal", "numeric" -> Kind.DECIMAL;
            case "float" -> Kind.FLOAT;
            case "double", "real", "double precision" -> Kind.DOUBLE;
            case "bit" -> Kind.BIT;
            case "year" -> Kind.YEAR;
            case "date" -> Kind.DATE;
            case "time" -> Kind.TIME;
            case "datetime" -> Kind.DATETIME;
            case "timestamp" -> Kind.TIMESTAMP;
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext" -> Kind.TEXT;
            case "binary" -> Kind.BINARY_FIXED;
            case "varbinary", "tinyblob", "blob", "mediumblob", "longblob", "geometry", "point", "linestring", "polygon",
                    "multipoint", "multilinestring", "multipolygon", "geometrycollection", "geomcollection" -> Kind.BYTES;
            case "enum" -> Kind.ENUM;
            case "set" -> Kind.SET;
            case "json" -> mysqlJson ? Kind.JSON : Kind.TEXT;
            default -> Kind.OTHER;
        };
    }

    /** The labels of {@code enum('a','b''c')} / {@code set(...)}, quotes undone. */
    static List<String> labels(String columnType) {
        List<String> out = new ArrayList<>();
        int open = columnType.indexOf('(');
        StringBuilder b = null;
        for (int i = open + 1; i < columnType.length(); i++) {
            char c = columnType.charAt(i);
            if (b == null) {
                if (c == '\'') {
                    b = new StringBuilder();
                }
            } else if (c == '\'' && i + 1 < columnType.length() && columnType.charAt(i + 1) == '\'') {
                b.append('\'');
                i++;
            } else if (c == '\\' && i + 1 < columnType.length()) {
                b.append(columnType.charAt(++i));
            } else if (c == '\'') {
                out.add(b.toString());
                b = null;
            } else {
                b.append(c);
            }
        }
        return out;
    }
}
