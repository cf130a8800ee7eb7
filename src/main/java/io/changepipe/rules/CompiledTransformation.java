package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.RuleTarget;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.definition.TableMappingDef.Transformation;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.TableId;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One transformation rule, compiled once per pipeline: its locator patterns, its name change, its data-type converter
 * and its expression. {@link Aspect} says which property of the object the rule decides; two rules for the same object
 * and aspect conflict, and the lower rule-id wins.
 */
record CompiledTransformation(Transformation def, String label, Aspect aspect, DmsPattern schema, DmsPattern table,
        DmsPattern column, UnaryOperator<String> rename, UnaryOperator<Object> converter, Evaluator evaluator) {

    /** What a rule decides about its object; masking rules never conflict, all of them apply. */
    enum Aspect {
        NAME, PRESENCE, TYPE, MASK, ADD_COLUMN, PRIMARY_KEY, BEFORE_IMAGE
    }

    static CompiledTransformation compile(Transformation t, ExpressionCompiler expressions) {
        String label = RuleException.label(t);
        if (t.locator().dataType().isPresent()) {
            throw new RuleException(label + ": object-locator data-type selects columns by their source data type, which "
                    + "changepipe cannot know from rows; name the columns with column-name (wildcards allowed) instead");
        }
        Aspect aspect = aspect(t.action());
        UnaryOperator<Object> converter = null;
        Evaluator evaluator = null;
        try {
            if ((aspect == Aspect.TYPE || aspect == Aspect.ADD_COLUMN) && t.dataType().isPresent()) {
                converter = DmsTypes.converter(t.dataType().get());
            }
        } catch (IllegalArgumentException e) {
            throw new RuleException(label + ": data-type: " + e.getMessage(), e);
        }
        if (t.expression().isPresent()) {
            try {
                evaluator = expressions.compile(t.expression().get());
            } catch (RuntimeException e) {
                throw new RuleException(label + ": expression '" + t.expression().get() + "': " + e.getMessage(), e);
            }
        }
        boolean namesColumn = t.target() == RuleTarget.COLUMN && aspect != Aspect.ADD_COLUMN && aspect != Aspect.BEFORE_IMAGE;
        return new CompiledTransformation(t, label, aspect, DmsPattern.compile(t.locator().schemaName()),
                t.locator().tableName().map(DmsPattern::compile).orElse(null),
                namesColumn ? DmsPattern.compile(t.locator().columnName().orElse("%")) : null,
                aspect == Aspect.NAME ? rename(t) : null, converter, evaluator);
    }

    private static Aspect aspect(TransformAction a) {
        return switch (a) {
            case RENAME, CONVERT_LOWERCASE, CONVERT_UPPERCASE, ADD_PREFIX, REMOVE_PREFIX, REPLACE_PREFIX, ADD_SUFFIX,
                    REMOVE_SUFFIX, REPLACE_SUFFIX -> Aspect.NAME;
            case REMOVE_COLUMN, INCLUDE_COLUMN -> Aspect.PRESENCE;
            case CHANGE_DATA_TYPE -> Aspect.TYPE;
            case DATA_MASKING_DIGITS_MASK, DATA_MASKING_DIGITS_RANDOMIZE, DATA_MASKING_HASH_MASK -> Aspect.MASK;
            case ADD_COLUMN -> Aspect.ADD_COLUMN;
            case DEFINE_PRIMARY_KEY -> Aspect.PRIMARY_KEY;
            case ADD_BEFORE_IMAGE_COLUMNS -> Aspect.BEFORE_IMAGE;
        };
    }

    /** The name change of a naming action; prefix and suffix removal leave names without that prefix or suffix alone. */
    private static UnaryOperator<String> rename(Transformation t) {
        String v = t.value().orElse("");
        String old = t.oldValue().orElse("");
        return switch (t.action()) {
            case RENAME -> n -> v;
            case CONVERT_LOWERCASE -> n -> n.toLowerCase(Locale.ROOT);
            case CONVERT_UPPERCASE -> n -> n.toUpperCase(Locale.ROOT);
            case ADD_PREFIX -> n -> v + n;
            case REMOVE_PREFIX -> n -> n.startsWith(v) ? n.substring(v.length()) : n;
            case REPLACE_PREFIX -> n -> n.startsWith(old) ? v + n.substring(old.length()) : n;
            case ADD_SUFFIX -> n -> n + v;
            case REMOVE_SUFFIX -> n -> n.endsWith(v) ? n.substring(0, n.length() - v.length()) : n;
            case REPLACE_SUFFIX -> n -> n.endsWith(old) ? n.substring(0, n.length() - old.length()) + v : n;
            default -> throw new IllegalArgumentException(t.action().wireName() + " is not a naming action");
        };
    }

    RuleTarget target() {
        return def.target();
    }

    TransformAction action() {
        return def.action();
    }

    /** Whether the locator's schema-name and table-name (when given) match the source table. */
    boolean matchesTable(TableId t) {
        return schema.matches(t.schema()) && (table == null || table.matches(t.table()));
    }

    /** Whether the locator's column-name matches a source column (rules about the table as a whole match none). */
    boolean matchesColumn(String name) {
        return column != null && column.matches(name);
    }
}
