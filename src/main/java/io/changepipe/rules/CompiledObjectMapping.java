package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.AttributeMapping;
import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.definition.TableMappingDef.ObjectMappingAction;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.TableId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One object-mapping rule, compiled once per pipeline: its locator patterns and its attribute templates. */
record CompiledObjectMapping(ObjectMapping def, String label, DmsPattern schema, DmsPattern table,
        List<Attribute> attributes) {

    /** The attribute name of map-record-to-document's document. */
    static final String DOC = "_doc";

    record Attribute(String name, AttributeTemplate template) {
    }

    static CompiledObjectMapping compile(ObjectMapping m) {
        String label = RuleException.label(m);
        DmsPattern schema;
        DmsPattern table;
        try {
            schema = DmsPattern.compile(m.locator().schemaName());
            table = DmsPattern.compile(m.locator().tableName().orElse("%"));
        } catch (IllegalArgumentException e) {
            throw new RuleException(label + ": object-locator " + e.getMessage(), e);
        }
        boolean document = m.action() == ObjectMappingAction.MAP_RECORD_TO_DOCUMENT;
        List<Attribute> attributes = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AttributeMapping a : m.attributeMappings()) {
            String where = label + ": attribute '" + a.targetAttributeName() + "'";
            if (!names.add(a.targetAttributeName())) {
                throw new RuleException(where + " is mapped twice; keep one");
            }
            if (document && DOC.equals(a.targetAttributeName())) {
                throw new RuleException(where + ": map-record-to-document writes the record's columns as " + DOC
                        + "; name the attribute otherwise");
            }
            attributes.add(new Attribute(a.targetAttributeName(), template(a, where)));
        }
        return new CompiledObjectMapping(m, label, schema, table, List.copyOf(attributes));
    }

    private static AttributeTemplate template(AttributeMapping a, String where) {
        boolean scalar = "scalar".equals(a.attributeType());
        boolean json = "json".equals(a.attributeSubType());
        if (scalar && json) {
            throw new RuleException(where + ": attribute-sub-type json goes with attribute-type document; a scalar is "
                    + "attribute-sub-type string");
        }
        if (!scalar && !json) {
            throw new RuleException(where + ": attribute-type document needs attribute-sub-type json");
        }
        try {
            return scalar ? AttributeTemplates.text(a.value()) : AttributeTemplates.document(a.value());
        } catch (IllegalArgumentException e) {
            throw new RuleException(where + ": value: " + e.getMessage(), e);
        }
    }

    boolean matchesTable(TableId t) {
        return schema.matches(t.schema()) && table.matches(t.table());
    }

    boolean toDocument() {
        return def.action() == ObjectMappingAction.MAP_RECORD_TO_DOCUMENT;
    }

    /** True when the rule keeps records and table name as they are (it only names a partition key, say). */
    boolean changesNothing() {
        return !toDocument() && def.excludeColumns().isEmpty() && attributes.isEmpty() && def.targetTableName().isEmpty();
    }
}
