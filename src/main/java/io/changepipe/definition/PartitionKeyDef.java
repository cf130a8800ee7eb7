package io.changepipe.definition;

import java.util.List;

/** How the Kinesis partition key of a change is made. One row's changes always get the same key. */
public sealed interface PartitionKeyDef {

    /** The primary key values, optionally prefixed with {@code schema.table.} to spread small keys over shards. */
    record PrimaryKey(boolean includeSchemaTable) implements PartitionKeyDef {
    }

    /** {@code schema.table}: every change of a table on one shard. */
    record SchemaTable() implements PartitionKeyDef {
    }

    /** The values of the named columns. */
    record Attribute(List<String> columns, boolean includeSchemaTable) implements PartitionKeyDef {
        public Attribute {
            columns = List.copyOf(columns);
        }
    }

    /** One fixed key: everything on one shard, in one order. */
    record Constant(String value) implements PartitionKeyDef {
    }

    /** The source transaction id: a transaction's changes stay together. */
    record TransactionId() implements PartitionKeyDef {
    }
}
