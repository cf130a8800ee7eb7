package io.changepipe.partition;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.TableId;

/** Makes the Kinesis partition key of a change; every key it returns is 1 to 256 characters (see {@link PartitionKeys#fit}). */
public interface PartitionKeyStrategy {

    String key(ChangeEvent e);

    /** The DMS partition-key-type for metadata: primary-key, schema-table, attribute-name, constant or transaction-id. */
    String typeName();

    /** The strategy that applies to {@code table}; differs from this one only where object-mapping rules override it. */
    default PartitionKeyStrategy forTable(TableId table) {
        return this;
    }
}
