package io.changepipe.rules;

import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** The object-mapping rule that won one source table, with its {@link RecordMapping}s cached per column list. */
public final class TableObjectMapping {

    private final CompiledObjectMapping rule;
    private final TableId source;
    private final TableId target;
    /** True when the rule only renames the table: rows pass through untouched. */
    private final boolean rowsUntouched;
    private final ConcurrentHashMap<Columns, RecordMapping> byColumns = new ConcurrentHashMap<>();
    private RecordMapping last;

    TableObjectMapping(CompiledObjectMapping rule, TableId source, TableId transformed) {
        this.rule = rule;
        this.source = source;
        this.target = rule.def().targetTableName().map(t -> new TableId(transformed.schema(), t)).orElse(transformed);
        this.rowsUntouched = !rule.toDocument() && rule.def().excludeColumns().isEmpty() && rule.attributes().isEmpty();
    }

    /** The table the events are written as: the transformations' target, with target-table-name as its table. */
    public TableId target() {
        return target;
    }

    /** The rule that applies, as {@code rule <id> (<name>)}. */
    public String rule() {
        return rule.label();
    }

    /** The mapped event: after and before images mapped, key columns the mapping drops left out of the key. */
    public ChangeEvent apply(ChangeEvent e) {
        Row image = e.image();
        if (rowsUntouched || image == null) {
            return e.withRows(target, e.after(), e.before(), e.primaryKey());
        }
        List<String> key = e.primaryKey();
        Row after = e.after() == null ? null : mapping(e.after().columns()).apply(e.after(), key);
        Row before = e.before() == null ? null : mapping(e.before().columns()).apply(e.before(), key);
        return e.withRows(target, after, before, mapping(image.columns()).key(key));
    }

    /** The mapping for rows of this shape: an identity check for the shape seen last, else one map lookup. */
    RecordMapping mapping(Columns columns) {
        RecordMapping m = last;
        if (m != null && m.source() == columns) {
            return m;
        }
        m = byColumns.get(columns);
        if (m == null) {
            m = byColumns.computeIfAbsent(columns, c -> new RecordMapping(rule, source, c));
        }
        last = m;
        return m;
    }

    @Override
    public String toString() {
        return rule.label() + ": " + source + " -> " + target;
    }
}
