package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What a TABLE_MAP event says about its columns: binlog type and metadata always; name, signedness, charset and
 * ENUM/SET labels as far as its optional metadata carries them ({@code binlog_row_metadata}: MINIMAL has signedness
 * and charsets, FULL also names and labels), null where it does not. Every attribute the decoding of a value depends
 * on is compared with a cached shape ({@link #fit}).
 */
final class BinlogColumns {

    /** One column; {@code charset} is a MySQL character set name ({@code binary} for bytes). */
    record Column(int type, int meta, String name, Boolean unsigned, String charset, List<String> labels) {

        int real() {
            return BinlogTypes.realType(type, meta);
        }
    }

    /**
     * A cached shape against the event: {@code differs} when something the event carries disagrees; else {@code unknown}
     * names what decoding depends on that the event does not carry (empty: the shape is certainly the event's).
     */
    record Fit(boolean differs, Set<String> unknown) {
    }

    static final String NAMES = "column names";
    static final String SIGNEDNESS = "integer signedness";
    static final String CHARSETS = "character sets";
    static final String LABELS = "ENUM/SET labels";

    private final List<Column> columns;

    private BinlogColumns(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** {@code charsetOfCollation}: the character set of a collation id, null when unknown. */
    static BinlogColumns of(TableMapEventData map, IntFunction<String> charsetOfCollation) {
        byte[] types = map.getColumnTypes();
        int[] metas = map.getColumnMetadata();
        TableMapEventMetadata m = map.getEventMetadata();
        List<String> names = m == null ? null : m.getColumnNames();
        if (names != null && names.size() != types.length) {
            names = null;
        }
        BitSet signedness = m == null ? null : m.getSignedness(); // indexed by column (the connector spreads the numeric columns' bits)
        List<Integer> collations = m == null ? null : collations(m.getColumnCharsets(), m.getDefaultCharset(), types, metas);
        List<String[]> enums = m == null ? null : m.getEnumStrValues();
        List<String[]> sets = m == null ? null : m.getSetStrValues();
        List<Column> out = new ArrayList<>(types.length);
        int chars = 0;
        int enumNo = 0;
        int setNo = 0;
        for (int i = 0; i < types.length; i++) {
            int type = types[i] & 0xFF;
            int real = BinlogTypes.realType(type, metas[i]);
            Boolean unsigned = integer(real) && signedness != null ? signedness.get(i) : null;
            String charset = null;
            if (character(real)) {
                Integer collation = collations != null && chars < collations.size() ? collations.get(chars) : null;
                charset = collation == null ? null : charsetOfCollation.apply(collation);
                chars++;
            }
            List<String> labels = null;
            if (real == ColumnType.ENUM.getCode()) {
                labels = enums != null && enumNo < enums.size() ? List.of(enums.get(enumNo)) : null;
                enumNo++;
            } else if (real == ColumnType.SET.getCode()) {
                labels = sets != null && setNo < sets.size() ? List.of(sets.get(setNo)) : null;
                setNo++;
            }
            out.add(new Column(type, metas[i], names == null ? null : names.get(i), unsigned, charset, labels));
        }
        return new BinlogColumns(out);
    }

    /** The collation of each character column, in order, from COLUMN_CHARSET or DEFAULT_CHARSET; null when neither is there. */
    private static List<Integer> collations(List<Integer> perColumn, TableMapEventMetadata.DefaultCharset dflt, byte[] types, int[] metas) {
        if (perColumn != null) {
            return perColumn;
        }
        if (dflt == null) {
            return null;
        }
        int n = 0;
        for (int i = 0; i < types.length; i++) {
            if (character(BinlogTypes.realType(types[i] & 0xFF, metas[i]))) {
                n++;
            }
        }
        Map<Integer, Integer> others = dflt.getCharsetCollations() == null ? Map.of() : dflt.getCharsetCollations();
        List<Integer> out = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            out.add(others.getOrDefault(c, dflt.getDefaultCharsetCollation()));
        }
        return out;
    }

    /** Columns with a character set in the binlog's charset metadata (ENUM and SET have their own). */
    static boolean character(int real) {
        return real == ColumnType.STRING.getCode() || real == ColumnType.VAR_STRING.getCode() || real == ColumnType.VARCHAR.getCode()
                || real == ColumnType.BLOB.getCode() || real == ColumnType.TINY_BLOB.getCode() || real == ColumnType.MEDIUM_BLOB.getCode()
                || real == ColumnType.LONG_BLOB.getCode();
    }

    static boolean integer(int real) {
        return real == ColumnType.TINY.getCode() || real == ColumnType.SHORT.getCode() || real == ColumnType.INT24.getCode()
                || real == ColumnType.LONG.getCode() || real == ColumnType.LONGLONG.getCode();
    }

    int size() {
        return columns.size();
    }

    Column column(int i) {
        return columns.get(i);
    }

    boolean named() {
        return columns.stream().allMatch(c -> c.name() != null);
    }

    /** The shape against the event, column by column. */
    Fit fit(TableSchema s) {
        if (s.size() != columns.size()) {
            return new Fit(true, Set.of());
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (int i = 0; i < columns.size(); i++) {
            Fit f = fit(s.column(i), columns.get(i));
            if (f.differs()) {
                return f;
            }
            unknown.addAll(f.unknown());
        }
        return new Fit(false, unknown);
    }

    /** One column of a shape against the event's. */
    static Fit fit(ColumnDef c, Column b) {
        if (!BinlogTypes.fits(c, b.type(), b.meta())) {
            return new Fit(true, Set.of());
        }
        Set<String> unknown = new LinkedHashSet<>();
        if (b.name() == null) {
            unknown.add(NAMES);
        } else if (!b.name().equals(c.name())) {
            return new Fit(true, Set.of());
        }
        int real = b.real();
        if (integer(real)) {
            if (b.unsigned() == null) {
                unknown.add(SIGNEDNESS);
            } else if (b.unsigned() != (c.unsigned() || c.kind() == ColumnDef.Kind.UNSIGNED_BIGINT)) {
                return new Fit(true, Set.of());
            }
        }
        if (character(real) && c.kind() != ColumnDef.Kind.OTHER) {
            if (b.charset() == null) {
                unknown.add(CHARSETS);
            } else if (!Objects.equals(c.charset(), Charsets.forMySql(b.charset(), c.name()))) {
                return new Fit(true, Set.of());
            }
        }
        if (c.kind() == ColumnDef.Kind.ENUM || c.kind() == ColumnDef.Kind.SET) {
            if (b.labels() == null) {
                unknown.add(LABELS);
            } else if (!b.labels().equals(c.labels())) {
                // the connector reads labels in the JVM's default charset: past ASCII a difference may be its misreading
                if (!ascii(b.labels()) || !ascii(c.labels())) {
                    unknown.add(LABELS);
                } else {
                    return new Fit(true, Set.of());
                }
            }
        }
        return new Fit(false, unknown);
    }

    private static boolean ascii(List<String> labels) {
        return labels.stream().allMatch(l -> l.chars().allMatch(ch -> ch < 128));
    }

    /** What decoding this column from the event alone needs and the event does not carry. */
    static Set<String> missing(Column b) {
        Set<String> out = new LinkedHashSet<>();
        int real = b.real();
        if (b.name() == null) {
            out.add(NAMES);
        }
        if (integer(real) && b.unsigned() == null) {
            out.add(SIGNEDNESS);
        }
        if (character(real) && b.charset() == null) {
            out.add(CHARSETS);
        }
        if ((real == ColumnType.ENUM.getCode() || real == ColumnType.SET.getCode()) && b.labels() == null) {
            out.add(LABELS);
        }
        return out;
    }
}
