package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.ObjectMapping;
import io.changepipe.event.TableId;
import java.util.Comparator;
import java.util.List;

/**
 * The DMS object-mapping rules of a pipeline, compiled once and resolved per table into a {@link TableObjectMapping}.
 * They shape records after the transformation rules; their partition keys are {@code io.changepipe.partition}'s.
 * <p>
 * <b>Which rule.</b> The object-locator matches the <em>source</em> schema and table (before any rename), with DMS
 * wildcards, as every DMS locator does; of the rules that match a table the lowest rule-id wins, even when it changes
 * nothing about the record (a rule that only names a partition key keeps higher rules off the table).
 * <p>
 * <b>Columns.</b> The mapping sees the record as the transformation rules leave it: {@code exclude-columns} and
 * {@code ${column}} name output columns (renamed, added, before-image columns), and a column a transformation removed
 * is not there to reference. A reference to a column the record lacks is an error for that row shape; an excluded
 * column the record lacks is ignored. Names match exactly, else case-insensitively when only one column matches.
 * <p>
 * <b>map-record-to-record.</b> Every column not excluded is kept, in order; then each attribute mapping, in order,
 * replaces the column of its name in place or is added at the end. Attributes read the record <em>before</em>
 * exclusion, so an excluded column can feed an attribute (DMS's own example builds {@code CustomerName} from excluded
 * {@code firstname} and {@code lastname}).
 * <p>
 * <b>map-record-to-document.</b> The columns not excluded go, in order, into one attribute {@code _doc}, a
 * {@code Map<String,Object>}, as DMS does. Unlike DMS, the event's primary-key columns (when not excluded) stay beside
 * {@code _doc} too, key first: partition keys and the before-image filter read top-level columns, and without them a
 * primary-key partition key would fail for every row. Attribute mappings then apply as for map-record-to-record.
 * <p>
 * <b>Attribute values.</b> {@code attribute-type: scalar} with {@code attribute-sub-type: string}: the value with each
 * {@code ${col}} replaced by the column's text as the rules read values (DECIMAL in plain notation, date-times
 * {@code YYYY-MM-DD HH:MM:SS[.fraction]}, bytes lower-case hex without {@code 0x}), null as empty; a value that is
 * exactly one {@code ${col}} keeps the column's typed value.
 * {@code attribute-type: document} with {@code attribute-sub-type: json}: a {@code Map<String,Object>} made from either
 * a JSON object written as text, whose string values are templates as above and whose numbers, booleans and nulls are
 * constants ({@code '{"Home": {"Phone": "${homephone}"}}'}; arrays are refused), or a list of references
 * ({@code '${a}, ${b}'}), which makes {@code {"a": .., "b": ..}}. DMS writes the document value as a JSON object; the
 * pipeline parser takes text only, so it is written as a string here. Other type and sub-type pairs are refused.
 * <p>
 * <b>Table.</b> {@code target-table-name} replaces the table name the transformations produced (the schema stays), for
 * data and DDL events alike. A DDL event's new-shape row is mapped like a data row.
 * <p>
 * <b>Downstream.</b> Partition keys are made from the mapped event: primary-key and attribute-name keys read top-level
 * columns (never fields inside {@code _doc} or a document attribute), and the table they see is the written one.
 */
public final class ObjectMappings {

    private final List<CompiledObjectMapping> rules;

    /** Compiles the rules; throws {@link RuleException} for one that cannot work (bad locator, template or type). */
    public ObjectMappings(List<ObjectMapping> rules) {
        this.rules = rules.stream().sorted(Comparator.comparingLong(ObjectMapping::ruleId))
                .map(CompiledObjectMapping::compile).toList();
    }

    /**
     * The mapping of {@code source}, which the transformations write as {@code transformed}; null when no rule matches
     * the table or the winning rule changes neither its records nor its name.
     */
    public TableObjectMapping forTable(TableId source, TableId transformed) {
        for (CompiledObjectMapping r : rules) {
            if (r.matchesTable(source)) {
                return r.changesNothing() ? null : new TableObjectMapping(r, source, transformed);
            }
        }
        return null;
    }
}
