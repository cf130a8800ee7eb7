package io.changepipe.rules;

import io.changepipe.definition.BeforeImageColumns;
import io.changepipe.definition.TableMappingDef.BeforeImageDef;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Columns;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The transformation rules of one table compiled for one column list: which source column feeds each output column,
 * the value steps (type change, then masking in rule-id order), the added columns and the before-image columns. Applying
 * it copies values by position; no column name is looked up per event.
 * <p>
 * Output columns: the kept source columns in source order (renamed), then added columns in rule-id order, then
 * before-image columns. Added columns are evaluated on the image being built (after, or before), with the source's
 * column names and values. Before-image columns take the <em>transformed</em> before image's values, so masking and
 * type changes hold for them too. The event's primary key follows renames; a removed key column leaves the key.
 */
public final class TableTransform {

    private static final int[] NONE = new int[0];

    private final TableRules rules;
    private final Columns source;
    private final Columns out;
    private final int[] from;
    private final UnaryOperator<Object>[] steps;
    private final Map<String, String> outNames;
    private final List<String> definedKey;
    private KeyLayout keyLayout;

    /** The output key and columns for one primary-key list: cached, since a table's key list rarely changes. */
    private record KeyLayout(List<String> eventKey, List<String> primaryKey, Columns columns, int[] beforeImageFrom) {
    }

    @SuppressWarnings("unchecked")
    TableTransform(TableRules rules, Columns source) {
        this.rules = rules;
        this.source = source;
        Random random = new Random(rules.maskingSeed);
        List<String> names = new ArrayList<>();
        List<Integer> fromList = new ArrayList<>();
        List<UnaryOperator<Object>> stepList = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        outNames = new HashMap<>();
        for (int i = 0; i < source.size(); i++) {
            String name = source.name(i);
            CompiledTransformation naming = null;
            CompiledTransformation presence = null;
            CompiledTransformation type = null;
            List<CompiledTransformation> masks = new ArrayList<>();
            for (CompiledTransformation r : rules.columnRules) {
                if (r.matchesColumn(name)) {
                    switch (r.aspect()) {
                        case NAME -> naming = naming == null ? r : naming;
                        case PRESENCE -> presence = presence == null ? r : presence;
                        case TYPE -> type = type == null ? r : type;
                        case MASK -> masks.add(r);
                        default -> {
                        }
                    }
                }
            }
            boolean kept = presence == null ? !rules.includeMode : presence.action() == TransformAction.INCLUDE_COLUMN;
            if (!kept) {
                continue;
            }
            String outName = naming == null ? name : naming.rename().apply(name);
            if (outName.isEmpty()) {
                throw new RuleException(naming.label() + ": " + naming.action().wireName() + " leaves column '" + name + "' of "
                        + rules.source + " without a name");
            }
            claim(origin, outName, "column '" + name + "'" + (naming == null ? "" : " renamed by " + naming.label()));
            outNames.put(name, outName);
            names.add(outName);
            fromList.add(i);
            stepList.add(valueStep(name, type, masks, random));
        }
        for (CompiledTransformation r : rules.added) {
            String name = r.def().value().orElseThrow();
            claim(origin, name, "the column added by " + r.label());
            names.add(name);
        }
        this.out = Columns.of(names);
        this.from = fromList.stream().mapToInt(Integer::intValue).toArray();
        this.steps = stepList.toArray(UnaryOperator[]::new);
        this.definedKey = rules.primaryKey == null ? null : definedKey(rules.primaryKey);
    }

    private void claim(Map<String, String> origin, String outName, String what) {
        String before = origin.putIfAbsent(outName, what);
        if (before != null) {
            throw new RuleException(rules.source + ": " + before + " and " + what + " would both be column '" + outName
                    + "'; rename one of them");
        }
    }

    private UnaryOperator<Object> valueStep(String column, CompiledTransformation type, List<CompiledTransformation> masks,
            Random random) {
        List<UnaryOperator<Object>> parts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        if (type != null) {
            parts.add(type.converter());
            labels.add(type.label() + ": change-data-type of " + rules.source + "." + column);
        }
        for (CompiledTransformation m : masks) {
            parts.add(switch (m.action()) {
                case DATA_MASKING_DIGITS_MASK -> Masking.digitsMask();
                case DATA_MASKING_DIGITS_RANDOMIZE -> Masking.digitsRandomize(random);
                default -> Masking.hash();
            });
            labels.add(m.label() + ": " + m.action().wireName() + " of " + rules.source + "." + column);
        }
        if (parts.isEmpty()) {
            return null;
        }
        UnaryOperator<Object>[] all = parts.toArray(UnaryOperator[]::new);
        String[] where = labels.toArray(String[]::new);
        return v -> {
            Object x = v;
            for (int k = 0; k < all.length; k++) {
                try {
                    x = all[k].apply(x);
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new RuleException(where[k] + ": " + e.getMessage(), e);
                }
            }
            return x;
        };
    }

    private List<String> definedKey(CompiledTransformation rule) {
        List<String> key = new ArrayList<>();
        for (String c : rule.def().primaryKeyDef().orElseThrow().columns()) {
            // a key column names a source column (and follows its rename) or an output column (renamed or added)
            String name = outNames.getOrDefault(c, c);
            boolean removed = !outNames.containsKey(c) && source.indexOf(c) >= 0;
            if (removed || out.indexOf(name) < 0) {
                throw new RuleException(rule.label() + ": primary-key-def column '" + c + "' is not among the columns of "
                        + rules.source + " after the rules " + out);
            }
            key.add(name);
        }
        return List.copyOf(key);
    }

    /** The source column list this transform was compiled for. */
    public Columns source() {
        return source;
    }

    /** The output columns of an image (without before-image columns). */
    public Columns columns() {
        return out;
    }

    /** The table the events are written as. */
    public TableId target() {
        return rules.target;
    }

    /** The transformed event: renamed table, transformed after and before images, primary key, before-image columns. */
    public ChangeEvent apply(ChangeEvent e) {
        Row image = e.image();
        if (rules.rowsUntouched || image == null) {
            return rules.renamed ? e.withRows(rules.target, e.after(), e.before(), e.primaryKey()) : e;
        }
        return forRow(image).applyAsHost(e);
    }

    private TableTransform forRow(Row row) {
        return row.columns() == source ? this : rules.transform(row.columns());
    }

    /** Applies with this transform owning the event's image (after, or before for deletes). */
    private ChangeEvent applyAsHost(ChangeEvent e) {
        KeyLayout layout = layout(e.primaryKey());
        Row after = e.after() == null ? null : forRow(e.after()).image(e, e.after());
        Row before = e.before() == null ? null : forRow(e.before()).image(e, e.before());
        if (rules.beforeImage != null) {
            switch (e.op()) {
                case LOAD, INSERT -> after = withBeforeImage(after, null, layout);
                case UPDATE -> after = withBeforeImage(after, before, layout);
                case DELETE -> before = withBeforeImage(before, before, layout);
                case DDL -> {
                }
            }
        }
        return e.withRows(rules.target, after, before, layout.primaryKey());
    }

    private Row image(ChangeEvent e, Row row) {
        Object[] v = new Object[out.size()];
        for (int i = 0; i < from.length; i++) {
            Object x = row.value(from[i]);
            v[i] = steps[i] == null ? x : steps[i].apply(x);
        }
        if (!rules.added.isEmpty()) {
            EventEvalContext ctx = new EventEvalContext(e, row, rules.clock);
            for (int j = 0; j < rules.added.size(); j++) {
                v[from.length + j] = addedValue(rules.added.get(j), ctx);
            }
        }
        return new Row(out, v);
    }

    private Object addedValue(CompiledTransformation r, EventEvalContext ctx) {
        String where = r.label() + ": add-column " + r.def().value().orElseThrow() + " of " + rules.source;
        Object x;
        try {
            x = r.evaluator() == null ? null : r.evaluator().evaluate(ctx);
        } catch (RuleException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new RuleException(where + ": the expression failed: " + e.getMessage(), e);
        }
        try {
            return r.converter() == null ? x : r.converter().apply(x);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new RuleException(where + ": " + e.getMessage(), e);
        }
    }

    private KeyLayout layout(List<String> eventKey) {
        KeyLayout l = keyLayout;
        if (l != null && (l.eventKey() == eventKey || l.eventKey().equals(eventKey))) {
            return l;
        }
        l = computeLayout(eventKey);
        keyLayout = l;
        return l;
    }

    private KeyLayout computeLayout(List<String> eventKey) {
        List<String> key = definedKey;
        if (key == null) {
            key = eventKey.stream().map(outNames::get).filter(n -> n != null).toList();
        }
        if (rules.beforeImage == null) {
            return new KeyLayout(eventKey, key, out, NONE);
        }
        BeforeImageDef def = rules.beforeImage.def().beforeImageDef().orElseThrow();
        List<String> of = def.columnFilter() == BeforeImageColumns.PK_ONLY ? key : out.names();
        List<String> names = new ArrayList<>(out.names());
        Map<String, String> origin = new HashMap<>();
        out.names().forEach(n -> origin.put(n, "column '" + n + "'"));
        int[] biFrom = new int[of.size()];
        for (int k = 0; k < of.size(); k++) {
            String name = def.columnPrefix() + of.get(k) + def.columnSuffix();
            claim(origin, name, "the before-image column of '" + of.get(k) + "' (" + rules.beforeImage.label() + ")");
            names.add(name);
            biFrom[k] = out.indexOf(of.get(k));
        }
        return new KeyLayout(eventKey, key, Columns.of(names), biFrom);
    }

    private Row withBeforeImage(Row image, Row before, KeyLayout layout) {
        if (image == null || layout.beforeImageFrom().length == 0) {
            return image;
        }
        int n = image.size();
        Object[] v = new Object[layout.columns().size()];
        for (int i = 0; i < n; i++) {
            v[i] = image.value(i);
        }
        int[] biFrom = layout.beforeImageFrom();
        for (int k = 0; k < biFrom.length; k++) {
            v[n + k] = before == null ? null
                    : before.columns() == out ? before.value(biFrom[k]) : before.get(out.name(biFrom[k]));
        }
        return new Row(layout.columns(), v);
    }

    @Override
    public String toString() {
        return rules.source + " " + source + " -> " + rules.target + " " + out;
    }
}
