package io.changepipe.event;

import java.util.Objects;

/** A source table: schema (MySQL database, SQL Server schema) and table name, case kept as the source reports it. */
public record TableId(String schema, String table) {

    public TableId {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
