package io.changepipe.partition;

import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.TableId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-table partition keys from DMS object-mapping rules: the first rule (lowest rule-id) whose object-locator matches
 * a table and that names a key decides that table's strategy; other tables use the pipeline's. A rule names a key with
 * {@code partition-key-type} (attribute-name needs partition-key-name, constant needs partition-key.value) or, as in
 * DMS's own example, with a bare {@code partition-key: {value: ...}}, which means constant. A primary-key override
 * prefixes {@code schema.table.} as the pipeline's primary-key setting says, or (when the pipeline keys otherwise) as
 * the pipeline file's default does. Resolved once per table.
 * {@link #typeName()} is the pipeline default's; ask {@code forTable(t).typeName()} for a table's own.
 */
final class TableKeys implements PartitionKeyStrategy {

    private final PartitionKeyStrategy fallback;
    private final List<Rule> overrides;
    private final Map<TableId, PartitionKeyStrategy> byTable = new ConcurrentHashMap<>();

    TableKeys(PartitionKeyStrategy fallback, List<Rule> overrides) {
        this.fallback = fallback;
        this.overrides = List.copyOf(overrides);
    }

    @Override
    public String key(ChangeEvent e) {
        return forTable(e.table()).key(e);
    }

    @Override
    public String typeName() {
        return fallback.typeName();
    }

    @Override
    public PartitionKeyStrategy forTable(TableId table) {
        return byTable.computeIfAbsent(table, this::resolve);
    }

    private PartitionKeyStrategy resolve(TableId table) {
        for (Rule o : overrides) {
            if (o.schema().matches(table.schema()) && o.table().matches(table.table())) {
                return o.strategy();
            }
        }
        return fallback;
    }

    /** One object-mapping rule that names a partition key, compiled. */
    record Rule(DmsPattern schema, DmsPattern table, PartitionKeyStrategy strategy) {

        static Rule of(ObjectMapping rule, boolean includeSchemaTable) {
            String where = "object-mapping rule " + rule.ruleId() + " (" + rule.ruleName() + ")";
            DmsPattern schema;
            DmsPattern table;
            try {
                schema = DmsPattern.compile(rule.locator().schemaName());
                table = DmsPattern.compile(rule.locator().tableName().orElse("%"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": object-locator " + e.getMessage(), e);
            }
            String type = rule.partitionKeyType().orElse("constant");
            PartitionKeyStrategy strategy = switch (type) {
                case "primary-key" -> new Strategies.PrimaryKey(includeSchemaTable);
                case "schema-table" -> new Strategies.SchemaTable();
                case "transaction-id" -> new Strategies.TransactionId();
                case "attribute-name" -> new Strategies.Attribute(List.of(rule.partitionKeyName().orElseThrow(
                        () -> new IllegalArgumentException(where + ": attribute-name needs partition-key-name"))), false);
                case "constant" -> new Strategies.Constant(rule.partitionKeyValue().orElseThrow(
                        () -> new IllegalArgumentException(where + ": constant needs partition-key: {value: ...}")));
                default -> throw new IllegalArgumentException(where + ": partition-key-type '" + type
                        + "' is not one of schema-table, transaction-id, primary-key, constant, attribute-name");
            };
            return new Rule(schema, table, strategy);
        }
    }
}
