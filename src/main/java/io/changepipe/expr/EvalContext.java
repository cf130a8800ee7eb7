package io.changepipe.expr;

import java.util.Collection;
import java.util.List;

/**
 * What an expression reads. {@code col} and DMS's {@code $col} name columns of the current row; {@code before.col}
 * the before image; {@code $operation}, {@code $table}, {@code $schema}, {@code $commit_timestamp} and DMS's
 * {@code $AR_H_*}/{@code $AR_M_*} headers are metadata (metadata names win over same-named columns after {@code $}).
 */
public interface EvalContext {

    /** Whether the current row has this column (an unknown column is an error, not a null). */
    boolean hasColumn(String name);

    Object column(String name);

    boolean hasBefore(String name);

    Object before(String name);

    /**
     * A metadata value by its name without the {@code $}: "operation" (DMS's wire name: "load", "insert", "update",
     * "delete"), "table", "schema", "commit_timestamp" in lower case, DMS headers such as "AR_H_COMMIT_TIMESTAMP" in
     * upper case; null if unknown.
     */
    Object meta(String name);

    /**
     * The current row's column names. Only read when a name is not found exactly, to match it ignoring case (MySQL
     * column names are case-insensitive); a context that cannot list its columns gets exact matching only.
     */
    default Collection<String> columnNames() {
        return List.of();
    }
}
