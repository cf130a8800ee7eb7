package io.changepipe.expr;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.schema.Column;

/**
 * Nodes that read the row: {@code col} and DMS's {@code $col} a column, {@code before.col} the before image, and
 * {@code $operation}, {@code $table}, {@code $schema}, {@code $commit_timestamp}, {@code $AR_H_*}, {@code $AR_M_*}
 * metadata (any case). A quoted name ({@code "My Col"}, backticks) is taken as written, never as metadata.
 *
 * <p>Column names match exactly first and then ignoring case, because MySQL column names are case-insensitive while
 * a Map-backed row is not: with known columns the match is made once at compile time, otherwise on a row that lacks
 * the exact name.
 */
final class References {

    private static final Set<String> METADATA = Set.of("operation", "table", "schema", "commit_timestamp");

    private References() {
    }

    /**
     * The metadata name {@code $name} stands for (operation, table, schema, commit_timestamp in lower case; DMS's
     * AR_H_* and AR_M_* headers in upper case), or null when {@code $name} is just DMS's spelling of a column.
     */
    static String metadataName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (METADATA.contains(lower)) {
            return lower;
        }
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.startsWith("AR_H_") || upper.startsWith("AR_M_") ? upper : null;
    }

    /** {@code col} or {@code $col}. */
    record ColumnRef(String name) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = ctx.column(name);
            if (v == null && !ctx.hasColumn(name)) {
                String other = ignoringCase(ctx.columnNames(), name);
                if (other == null) {
                    throw new EvalError(unknownColumn(name));
                }
                v = ctx.column(other);
            }
            return SqlValues.normalize(v);
        }
    }

    /** {@code before.col}: NULL when there is no before image (inserts, full load) or it lacks the column. */
    record BeforeRef(String name) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            Object v = ctx.before(name);
            if (v == null && !ctx.hasBefore(name)) {
                String other = ignoringCase(ctx.columnNames(), name);
                v = other == null ? null : ctx.before(other);
            }
            return SqlValues.normalize(v);
        }
    }

    /** {@code $operation}, {@code $AR_H_TIMESTAMP}, ... */
    record MetaRef(String name) implements Node {
        @Override
        public Object eval(EvalContext ctx) {
            return SqlValues.normalize(ctx.meta(name));
        }
    }

    /** The node reading {@code col}, {@code $col}, {@code $operation}-style metadata or {@code before.col}. */
    static Node of(Column c, Set<String> knownColumns) {
        String raw = c.getColumnName();
        String name = unquote(raw);
        String qualifier = c.getTable() == null || c.getTable().getName() == null ? null
                : unquote(c.getTable().getFullyQualifiedName());
        if (qualifier != null) {
            if (!qualifier.equalsIgnoreCase("before")) {
                throw new IllegalArgumentException("'" + c + "' has an unknown qualifier '" + qualifier
                        + "'; only before.col reads another row image");
            }
            return new BeforeRef(resolve(knownColumns, raw.startsWith("$") ? name.substring(1) : name));
        }
        if (raw.startsWith("$")) {
            String meta = metadataName(name.substring(1));
            if (meta != null) {
                return new MetaRef(meta);
            }
            name = name.substring(1);
        }
        return new ColumnRef(resolve(knownColumns, name));
    }

    /** The column's exact name when the columns are known: as written, else the one name matching it ignoring case. */
    private static String resolve(Set<String> knownColumns, String name) {
        if (knownColumns == null || knownColumns.contains(name)) {
            return name;
        }
        List<String> matches = knownColumns.stream().filter(k -> k.equalsIgnoreCase(name)).sorted().toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.size() > 1) {
            throw new IllegalArgumentException("column '" + name + "' is ambiguous: " + String.join(", ", matches));
        }
        String near = closest(knownColumns, name);
        throw new IllegalArgumentException(near == null ? unknownColumn(name) : "unknown column '" + name + "'; did you mean '" + near + "'?");
    }

    private static String unquote(String id) {
        if (id.length() >= 2 && (id.charAt(0) == '"' || id.charAt(0) == '`') && id.charAt(id.length() - 1) == id.charAt(0)) {
            String q = String.valueOf(id.charAt(0));
            return id.substring(1, id.length() - 1).replace(q + q, q);
        }
        return id;
    }

    /** The complaint, with a hint when the name is metadata written without its {@code $}. */
    static String unknownColumn(String name) {
        String meta = metadataName(name);
        return "unknown column '" + name + "'" + (meta == null ? "" : "; metadata is read as $" + meta);
    }

    static String ignoringCase(Collection<String> names, String name) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }

    /** The known name closest to a misspelt one (at most two edits away), or null. */
    static String closest(Collection<String> names, String name) {
        String best = null;
        int bestDistance = 3;
        for (String n : names) {
            int d = EditDistance.between(n.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best;
    }
}
