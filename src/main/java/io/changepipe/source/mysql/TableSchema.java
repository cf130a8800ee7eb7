package io.changepipe.source.mysql;

import io.changepipe.event.Columns;
import io.changepipe.event.TableId;
import java.util.List;

/** A table's columns in ordinal order (the binlog's order too) and its primary key, as one row shape. */
record TableSchema(TableId id, List<ColumnDef> columns, Columns names, List<String> primaryKey) {

    TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    static TableSchema of(TableId id, List<ColumnDef> columns, List<String> primaryKey) {
        return new TableSchema(id, columns, Columns.of(columns.stream().map(ColumnDef::name).toList()), primaryKey);
    }

    int size() {
        return columns.size();
    }

    ColumnDef column(int i) {
        return columns.get(i);
    }
}
