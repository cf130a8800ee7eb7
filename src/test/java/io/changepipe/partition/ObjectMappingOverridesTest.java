package io.changepipe.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.definition.TableMappingDef.ObjectLocator;
import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.definition.TableMappingDef.ObjectMappingAction;
import io.changepipe.definition.TableMappingDef.TableType;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ObjectMappingOverridesTest {

    static ObjectMapping rule(long id, String schema, String table, String type, String name, String value) {
        return new ObjectMapping(id, "rule-" + id, ObjectMappingAction.MAP_RECORD_TO_RECORD,
                new ObjectLocator(schema, Optional.ofNullable(table), Optional.empty(), Optional.empty(), TableType.TABLE),
                Optional.ofNullable(type), Optional.ofNullable(name), Optional.ofNullable(value), List.of(), List.of(), Optional.empty());
    }

    static ChangeEvent insert(String schema, String table) {
        return new ChangeEvent(Op.INSERT, new TableId(schema, table), Row.of("id", 3L, "customer_id", 77L), null, List.of("id"),
                null, "tx-9", 1, null, 0, new SourcePosition.Sequence(1), null);
    }

    static final List<ObjectMapping> RULES = List.of(
            rule(20, "democustomer", "invoices", "attribute-name", "customer_id", null),
            rule(10, "democustomer", "inv%", "constant", null, "all-invoices"),
            rule(30, "democustomer", "orders", "attribute-name", "customer_id", null),
            rule(40, "audit", null, "transaction-id", null, null),
            rule(50, "legacy", "t[_]%", "schema-table", null, null),
            rule(60, "legacy", "%", "primary-key", null, null),
            rule(70, "dms", "example", null, null, "ConstantPartitionKey"),
            rule(5, "democustomer", "%", null, null, null));

    final PartitionKeyStrategy keys = PartitionKeys.of(new PartitionKeyDef.PrimaryKey(true), RULES);

    @Test
    void theLowestMatchingRuleIdDecidesATablesKey() {
        assertEquals("all-invoices", keys.key(insert("democustomer", "invoices")));
        assertEquals("constant", keys.forTable(new TableId("democustomer", "invoices")).typeName());
        assertEquals("all-invoices", keys.key(insert("democustomer", "invoice_lines")));
    }

    @Test
    void eachRuleTypeKeysItsTables() {
        assertEquals("77", keys.key(insert("democustomer", "orders")));
        assertEquals("attribute-name", keys.forTable(new TableId("democustomer", "orders")).typeName());
        assertEquals("tx-9", keys.key(insert("audit", "anything")));
        assertEquals("legacy.t_old", keys.key(insert("legacy", "t_old")));
        assertEquals("legacy.tx.3", keys.key(insert("legacy", "tx")), "t[_]% needs a literal underscore; rule 60 applies");
        assertEquals("ConstantPartitionKey", keys.key(insert("dms", "example")), "a bare partition-key value is a constant");
    }

    @Test
    void rulesThatNameNoKeyAndUnmatchedTablesKeepThePipelineDefault() {
        assertEquals("democustomer.customers.3", keys.key(insert("democustomer", "customers")));
        assertEquals("other.t.3", keys.key(insert("other", "t")));
        assertEquals("primary-key", keys.forTable(new TableId("other", "t")).typeName());
        assertEquals("primary-key", keys.typeName());
    }

    @Test
    void aPrimaryKeyOverrideFollowsThePipelinesSchemaTableSetting() {
        List<ObjectMapping> rules = List.of(rule(1, "legacy", "%", "primary-key", null, null));
        assertEquals("3", PartitionKeys.of(new PartitionKeyDef.PrimaryKey(false), rules).key(insert("legacy", "t")));
        assertEquals("legacy.t.3", PartitionKeys.of(new PartitionKeyDef.SchemaTable(), rules).key(insert("legacy", "t")));
    }

    @Test
    void theStrategyOfATableIsResolvedOnce() {
        TableId t = new TableId("democustomer", "orders");
        assertSame(keys.forTable(t), keys.forTable(new TableId("democustomer", "orders")));
    }

    @Test
    void aRuleThatCannotMakeKeysIsAnErrorNamingIt() {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> PartitionKeys.of(new PartitionKeyDef.SchemaTable(),
                List.of(rule(7, "s", "t", "attribute-name", null, null))));
        assertEquals("object-mapping rule 7 (rule-7): attribute-name needs partition-key-name", x.getMessage());
        x = assertThrows(IllegalArgumentException.class, () -> PartitionKeys.of(new PartitionKeyDef.SchemaTable(),
                List.of(rule(8, "s", "t[", "schema-table", null, null))));
        assertEquals("object-mapping rule 8 (rule-8): object-locator '[' at position 2 is never closed", x.getMessage());
    }
}
