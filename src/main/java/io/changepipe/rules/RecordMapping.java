package io.changepipe.rules;

import io.changepipe.event.Columns;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import io.changepipe.rules.AttributeTemplate.Bound;
import io.changepipe.rules.CompiledObjectMapping.Attribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An object-mapping rule compiled for one column list (the columns the transformation rules produce): which columns
 * are excluded, where each attribute reads its columns, and, per primary-key list, the output columns. Applying it
 * copies values by position; no column name is looked up per event.
 * <p>
 * Column names in {@code exclude-columns} and {@code ${column}} are matched exactly, else case-insensitively when
 * exactly one column matches that way (DMS's own example excludes {@code homeaddress} to drop {@code HomeAddress}).
 */
final class RecordMapping {

    private final CompiledObjectMapping rule;
    private final TableId table;
    private final Columns source;
    private final boolean[] excluded;
    private final Bound[] attributes;
    private final Bound document;
    private Layout layout;

    /** The output of one primary-key list: column names, where each value comes from, and the event's key. */
    private record Layout(List<String> eventKey, Columns columns, int[] from, Bound[] computed, List<String> key) {
    }

    RecordMapping(CompiledObjectMapping rule, TableId table, Columns source) {
        this.rule = rule;
        this.table = table;
        this.source = source;
        this.excluded = new boolean[source.size()];
        for (String name : rule.def().excludeColumns()) {
            int i = find(name, "exclude-columns '" + name + "'");
            if (i >= 0) {
                excluded[i] = true;
            }
        }
        this.attributes = new Bound[rule.attributes().size()];
        for (int j = 0; j < attributes.length; j++) {
            Attribute a = rule.attributes().get(j);
            String where = "attribute '" + a.name() + "'";
            attributes[j] = a.template().bind(name -> {
                int i = find(name, where + ": ${" + name + "}");
                if (i < 0) {
                    throw new RuleException(rule.label() + ": " + where + " of " + table + ": ${" + name
                            + "} is not a column of the record " + source + " (object mapping sees the columns as the "
                            + "transformation rules leave them)");
                }
                return i;
            });
        }
        this.document = rule.toDocument() ? documentOf() : null;
    }

    /** The position of a column named exactly so, else of the one column named so ignoring case, else -1. */
    private int find(String name, String what) {
        int i = source.indexOf(name);
        if (i >= 0) {
            return i;
        }
        for (int k = 0; k < source.size(); k++) {
            if (source.name(k).equalsIgnoreCase(name)) {
                if (i >= 0) {
                    throw new RuleException(rule.label() + ": " + what + " of " + table + " matches both '"
                            + source.name(i) + "' and '" + source.name(k) + "' ignoring case; spell it as the column is");
                }
                i = k;
            }
        }
        return i;
    }

    private Bound documentOf() {
        List<String> names = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            if (!excluded[i]) {
                names.add(source.name(i));
                from.add(i);
            }
        }
        String[] n = names.toArray(String[]::new);
        int[] f = from.stream().mapToInt(Integer::intValue).toArray();
        return row -> {
            Map<String, Object> doc = new LinkedHashMap<>(n.length * 2);
            for (int i = 0; i < n.length; i++) {
                doc.put(n[i], row.value(f[i]));
            }
            return doc;
        };
    }

    /** The mapped row; {@code eventKey} is the event's primary key, which map-record-to-document keeps as columns. */
    Row apply(Row row, List<String> eventKey) {
        Layout l = layout(eventKey);
        Object[] v = new Object[l.from().length];
        for (int i = 0; i < v.length; i++) {
            Bound b = l.computed()[i];
            v[i] = b != null ? b.value(row) : row.value(l.from()[i]);
        }
        return new Row(l.columns(), v);
    }

    /** The event's primary key after the mapping: key columns it excludes leave the key. */
    List<String> key(List<String> eventKey) {
        return layout(eventKey).key();
    }

    Columns source() {
        return source;
    }

    private Layout layout(List<String> eventKey) {
        Layout l = layout;
        if (l != null && (l.eventKey() == eventKey || l.eventKey().equals(eventKey))) {
            return l;
        }
        l = computeLayout(eventKey);
        layout = l;
        return l;
    }

    private Layout computeLayout(List<String> eventKey) {
        List<String> names = new ArrayList<>();
        List<Integer> from = new ArrayList<>();
        List<Bound> computed = new ArrayList<>();
        if (document == null) {
            for (int i = 0; i < source.size(); i++) {
                if (!excluded[i]) {
                    names.add(source.name(i));
                    from.add(i);
                    computed.add(null);
                }
            }
        } else {
            // key columns stay beside _doc so primary-key partition keys and before-image filters still find them
            for (String k : eventKey) {
                int i = source.indexOf(k);
                if (i >= 0 && !excluded[i]) {
                    names.add(k);
                    from.add(i);
                    computed.add(null);
                }
            }
            names.add(CompiledObjectMapping.DOC);
            from.add(-1);
            computed.add(document);
        }
        for (int j = 0; j < attributes.length; j++) {
            String name = rule.attributes().get(j).name();
            int at = names.indexOf(name);
            if (at >= 0) {
                from.set(at, -1);
                computed.set(at, attributes[j]);
            } else {
                names.add(name);
                from.add(-1);
                computed.add(attributes[j]);
            }
        }
        List<String> key = eventKey.stream().filter(names::contains).toList();
        return new Layout(eventKey, Columns.of(names), from.stream().mapToInt(Integer::intValue).toArray(),
                computed.toArray(Bound[]::new), key);
    }

    @Override
    public String toString() {
        return rule.label() + " " + table + " " + source;
    }
}
