package io.changepipe.partition;

import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.definition.TableMappingDef.ObjectMapping;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Builds partition-key strategies from a pipeline's {@code partitionKey} and its DMS object-mapping rules. */
public final class PartitionKeys {

    /** Kinesis's limit on a partition key. */
    public static final int MAX_KEY_LENGTH = 256;

    private PartitionKeys() {
    }

    /** The pipeline-wide strategy. */
    public static PartitionKeyStrategy of(PartitionKeyDef def) {
        if (def instanceof PartitionKeyDef.PrimaryKey p) {
            return new Strategies.PrimaryKey(p.includeSchemaTable());
        } else if (def instanceof PartitionKeyDef.Attribute a) {
            return new Strategies.Attribute(a.columns(), a.includeSchemaTable());
        } else if (def instanceof PartitionKeyDef.Constant c) {
            return new Strategies.Constant(c.value());
        } else if (def instanceof PartitionKeyDef.TransactionId) {
            return new Strategies.TransactionId();
        } else if (def instanceof PartitionKeyDef.SchemaTable) {
            return new Strategies.SchemaTable();
        }
        throw new IllegalArgumentException("unknown partition key definition " + def);
    }

    /**
     * The pipeline-wide strategy, overridden per table by the object-mapping rules that name a partition key (see
     * {@link TableKeys}). Throws IllegalArgumentException for a rule that cannot make keys.
     */
    public static PartitionKeyStrategy of(PartitionKeyDef def, List<ObjectMapping> rules) {
        PartitionKeyStrategy fallback = of(def);
        boolean includeSchemaTable = !(def instanceof PartitionKeyDef.PrimaryKey p) || p.includeSchemaTable();
        List<TableKeys.Rule> overrides = rules.stream()
                .filter(r -> r.partitionKeyType().isPresent() || r.partitionKeyValue().isPresent())
                .sorted(Comparator.comparingLong(ObjectMapping::ruleId))
                .map(r -> TableKeys.Rule.of(r, includeSchemaTable))
                .toList();
        return overrides.isEmpty() ? fallback : new TableKeys(fallback, overrides);
    }

    /**
     * {@code key} itself when Kinesis takes it, else {@code "h:"} + the lower-case hex SHA-256 of its UTF-8 bytes (66
     * characters): for keys longer than 256 UTF-16 code units, and for the empty key (Kinesis wants 1 to 256). Units,
     * not code points, because the stricter count can only hash a key that would have fit, never send one Kinesis
     * rejects. The same text always gives the same key, so a long key keeps its row on one shard.
     */
    public static String fit(String key) {
        if (!key.isEmpty() && key.length() <= MAX_KEY_LENGTH) {
            return key;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "h:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
