package io.changepipe.partition;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.util.List;

/** The five DMS partition-key types. Keys pass through {@link PartitionKeys#fit} so Kinesis always accepts them. */
final class Strategies {

    private Strategies() {
    }

    static String schemaTable(TableId t) {
        return t.schema() + "." + t.table();
    }

    /**
     * The image's primary-key values joined with '.', after {@code schema.table.} when asked. The image is the after
     * row, the before row for deletes, so a row's insert, updates and delete share one key. A table without a primary
     * key gets {@code schema.table}, as DMS keys such tables.
     */
    record PrimaryKey(boolean includeSchemaTable) implements PartitionKeyStrategy {
        @Override
        public String key(ChangeEvent e) {
            if (e.primaryKey().isEmpty()) {
                return PartitionKeys.fit(schemaTable(e.table()));
            }
            return PartitionKeys.fit(join(e, e.primaryKey(), includeSchemaTable));
        }

        @Override
        public String typeName() {
            return "primary-key";
        }
    }

    /** The named columns' values joined with '.', after {@code schema.table.} when asked; a missing column is an error. */
    record Attribute(List<String> columns, boolean includeSchemaTable) implements PartitionKeyStrategy {
        Attribute {
            columns = List.copyOf(columns);
        }

        @Override
        public String key(ChangeEvent e) {
            return PartitionKeys.fit(join(e, columns, includeSchemaTable));
        }

        @Override
        public String typeName() {
            return "attribute-name";
        }
    }

    record SchemaTable() implements PartitionKeyStrategy {
        @Override
        public String key(ChangeEvent e) {
            return PartitionKeys.fit(schemaTable(e.table()));
        }

        @Override
        public String typeName() {
            return "schema-table";
        }
    }

    record Constant(String value) implements PartitionKeyStrategy {
        Constant {
            value = PartitionKeys.fit(value);
        }

        @Override
        public String key(ChangeEvent e) {
            return value;
        }

        @Override
        public String typeName() {
            return "constant";
        }
    }

    /** The source transaction id; changes without one (full load) fall back to {@code schema.table}. */
    record TransactionId() implements PartitionKeyStrategy {
        @Override
        public String key(ChangeEvent e) {
            return PartitionKeys.fit(e.transactionId() != null ? e.transactionId() : schemaTable(e.table()));
        }

        @Override
        public String typeName() {
            return "transaction-id";
        }
    }

    private static String join(ChangeEvent e, List<String> columns, boolean includeSchemaTable) {
        Row image = e.image();
        StringBuilder b = new StringBuilder(64);
        if (includeSchemaTable) {
            b.append(e.table().schema()).append('.').append(e.table().table());
        }
        for (int i = 0; i < columns.size(); i++) {
            String column = columns.get(i);
            if (image == null || !image.has(column)) {
                throw new IllegalArgumentException("partition key column " + column + " is not in the "
                        + e.op().wireName() + " row of " + e.table() + (image == null ? "" : " (columns: " + image.columns() + ")"));
            }
            if (includeSchemaTable || i > 0) {
                b.append('.');
            }
            KeyText.append(b, image.get(column));
        }
        return b.toString();
    }
}
