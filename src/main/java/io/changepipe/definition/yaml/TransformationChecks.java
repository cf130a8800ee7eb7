package io.changepipe.definition.yaml;

import static io.changepipe.definition.yaml.TableMappingShapes.BI_DEF;
import static io.changepipe.definition.yaml.TableMappingShapes.DATA_TYPE;
import static io.changepipe.definition.yaml.TableMappingShapes.EXPRESSION_KEY;
import static io.changepipe.definition.yaml.TableMappingShapes.NEW_VALUE;
import static io.changepipe.definition.yaml.TableMappingShapes.OBJECT_LOCATOR;
import static io.changepipe.definition.yaml.TableMappingShapes.OLD_VALUE;
import static io.changepipe.definition.yaml.TableMappingShapes.PK_DEF;
import static io.changepipe.definition.yaml.TableMappingShapes.RULE_TARGET;
import static io.changepipe.definition.yaml.TableMappingShapes.TRANSFORM_ACTION;

import io.changepipe.definition.TableMappingDef.ObjectLocator;
import io.changepipe.definition.TableMappingDef.RuleTarget;
import io.changepipe.definition.TableMappingDef.TransformAction;
import io.changepipe.dms.DmsPattern;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** What each DMS transformation action needs: its targets, its parameters, and what its locator must name. */
final class TransformationChecks {

    private TransformationChecks() {
    }

    private static final Set<RuleTarget> ANY = EnumSet.allOf(RuleTarget.class);
    private static final Set<RuleTarget> COLUMN = EnumSet.of(RuleTarget.COLUMN);
    private static final Set<RuleTarget> TABLE = EnumSet.of(RuleTarget.TABLE);

    static void check(Values v) {
        TransformAction action = v.get(TRANSFORM_ACTION);
        RuleTarget target = v.get(RULE_TARGET);
        ObjectLocator loc = v.get(OBJECT_LOCATOR);
        if (action == null || target == null) {
            return;
        }
        Set<RuleTarget> targets = switch (action) {
            case RENAME, CONVERT_LOWERCASE, CONVERT_UPPERCASE, ADD_PREFIX, REMOVE_PREFIX, REPLACE_PREFIX, ADD_SUFFIX,
                    REMOVE_SUFFIX, REPLACE_SUFFIX -> ANY;
            case DEFINE_PRIMARY_KEY -> TABLE;
            default -> COLUMN;
        };
        if (!targets.contains(target)) {
            v.problem(RULE_TARGET, action.wireName() + " applies to rule-target "
                    + targets.stream().map(RuleTarget::wireName).collect(Collectors.joining(" or ")) + " (was " + target.wireName() + ")");
            return;
        }
        switch (action) {
            case RENAME, ADD_PREFIX, REMOVE_PREFIX, ADD_SUFFIX, REMOVE_SUFFIX -> need(v, NEW_VALUE, action);
            case REPLACE_PREFIX, REPLACE_SUFFIX -> {
                need(v, NEW_VALUE, action);
                need(v, OLD_VALUE, action);
            }
            case ADD_COLUMN -> {
                need(v, NEW_VALUE, action);
                need(v, DATA_TYPE, action);
            }
            case CHANGE_DATA_TYPE -> need(v, DATA_TYPE, action);
            case DEFINE_PRIMARY_KEY -> need(v, PK_DEF, action);
            case ADD_BEFORE_IMAGE_COLUMNS -> need(v, BI_DEF, action);
            default -> {
            }
        }
        if (v.has(EXPRESSION_KEY) && action != TransformAction.ADD_COLUMN) {
            v.problem(EXPRESSION_KEY, "only add-column takes an expression");
        }
        if (loc == null) {
            return;
        }
        if (target != RuleTarget.SCHEMA && loc.tableName().isEmpty()) {
            v.problem(OBJECT_LOCATOR, "missing required key 'table-name' for rule-target " + target.wireName());
        }
        boolean namesColumn = target == RuleTarget.COLUMN && action != TransformAction.ADD_COLUMN
                && action != TransformAction.ADD_BEFORE_IMAGE_COLUMNS;
        if (namesColumn && loc.columnName().isEmpty() && loc.dataType().isEmpty()) {
            v.problem(OBJECT_LOCATOR, "missing required key 'column-name' for rule-target column");
        }
        if (action == TransformAction.DEFINE_PRIMARY_KEY
                && !(DmsPattern.compile(loc.schemaName()).isLiteral() && loc.tableName().map(t -> DmsPattern.compile(t).isLiteral()).orElse(true))) {
            v.problem(OBJECT_LOCATOR, "define-primary-key needs an exact schema-name and table-name, without wildcards");
        }
    }

    private static void need(Values v, Key<?> key, TransformAction action) {
        if (!v.isWritten(key)) {
            v.problem("missing required key '" + key.name() + "' for rule-action " + action.wireName());
        }
    }
}
