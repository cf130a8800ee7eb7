package io.changepipe.source.mysql;

import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.TableMappingDef.FilterCondition;
import io.changepipe.definition.TableMappingDef.SelectionAction;
import io.changepipe.definition.TableMappingDef.SourceFilter;
import io.changepipe.definition.TableMappingDef.TableType;
import io.changepipe.dms.DmsPattern;
import io.changepipe.event.TableId;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Source filters as a full-load {@code WHERE} clause, so filtered-out rows are not read at all. The rules engine still
 * filters every row, so the clause only has to keep a superset of the rows the filters keep; whatever cannot be
 * expressed that safely (text ranges, which MySQL compares by collation; FLOAT, which MySQL compares as binary
 * floating point) is left out, widening the clause. The rules that decide rows are the ones naming the table exactly,
 * as in {@link io.changepipe.rules.TableSelector}: their filters OR together.
 */
final class WherePushdown {

    /** A clause and its parameters, in order. */
    record Where(String sql, List<Object> params) {
    }

    private static final Pattern DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}( \\d{2}:\\d{2}:\\d{2})?");

    private WherePushdown() {
    }

    static Optional<Where> of(List<TableMappingDef.Selection> rules, TableId table, TableSchema schema) {
        List<TableMappingDef.Selection> exact = rules.stream()
                .filter(r -> r.action() != SelectionAction.EXCLUDE && r.locator().tableType() != TableType.VIEW)
                .filter(r -> names(r, table))
                .toList();
        if (exact.isEmpty()) {
            return Optional.empty();
        }
        List<String> ors = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (TableMappingDef.Selection rule : exact) {
            List<String> ands = new ArrayList<>();
            for (SourceFilter f : rule.filters()) {
                Optional<ColumnDef> column = schema.columns().stream().filter(c -> c.name().equals(f.columnName())).findFirst();
                if (column.isEmpty()) {
                    continue;
                }
                List<String> conditions = new ArrayList<>();
                List<Object> conditionParams = new ArrayList<>();
                for (FilterCondition c : f.conditions()) {
                    String sql = condition(column.get(), c, conditionParams);
                    if (sql == null) {
                        conditions = null;
                        break;
                    }
                    conditions.add(sql);
                }
                if (conditions != null && !conditions.isEmpty()) {
                    ands.add(conditions.size() == 1 ? conditions.get(0) : "(" + String.join(" OR ", conditions) + ")");
                    params.addAll(conditionParams);
                }
            }
            if (ands.isEmpty()) {
                return Optional.empty(); // this rule keeps every row
            }
            ors.add(ands.size() == 1 ? ands.get(0) : "(" + String.join(" AND ", ands) + ")");
        }
        return Optional.of(new Where(ors.size() == 1 ? ors.get(0) : String.join(" OR ", ors), List.copyOf(params)));
    }

    private static boolean names(TableMappingDef.Selection r, TableId t) {
        DmsPattern schema = DmsPattern.compile(r.locator().schemaName());
        DmsPattern name = DmsPattern.compile(r.locator().tableName().orElse("%"));
        return schema.isLiteral() && name.isLiteral() && schema.matches(t.schema()) && name.matches(t.table());
    }

    /** The condition as SQL (adding its parameters), or null when it cannot be pushed down safely. */
    private static String condition(ColumnDef c, FilterCondition f, List<Object> params) {
        String col = Sql.quote(c.name());
        switch (f.operator()) {
            case NULL -> {
                return col + " IS NULL";
            }
            case NOTNULL -> {
                return col + " IS NOT NULL";
            }
            default -> {
            }
        }
        boolean range = f.operator().operands() == 2;
        Object a = operand(c, range ? f.startValue().orElse(null) : f.value().orElse(null));
        Object b = range ? operand(c, f.endValue().orElse(null)) : null;
        if (a == null || (range && b == null)) {
            return null;
        }
        if (c.kind() == ColumnDef.Kind.TEXT) {
            // only equality is safe: the binary comparison keeps every row the engine's exact comparison keeps
            if (f.operator() != TableMappingDef.FilterOperator.EQ) {
                return null;
            }
            params.add(a);
            return "CONVERT(" + col + " USING utf8mb4) COLLATE utf8mb4_bin = ?";
        }
        params.add(a);
        if (range) {
            params.add(b);
        }
        return switch (f.operator()) {
            case EQ -> col + " = ?";
            case NOTEQ -> col + " <> ?";
            case GTE -> col + " >= ?";
            case LTE, STE -> col + " <= ?";
            case BETWEEN -> col + " BETWEEN ? AND ?";
            case NOTBETWEEN -> col + " NOT BETWEEN ? AND ?";
            case NULL, NOTNULL -> throw new AssertionError();
        };
    }

    /** The filter text as a parameter the column compares with exactly as the engine does, or null. */
    private static Object operand(ColumnDef c, String text) {
        if (text == null) {
            return null;
        }
        return switch (c.kind()) {
            case INTEGER, UNSIGNED_BIGINT, DECIMAL, YEAR -> {
                try {
                    yield new BigDecimal(text.trim());
                } catch (NumberFormatException e) {
                    yield null;
                }
            }
            case DATE, DATETIME, TIMESTAMP -> DATE_TIME.matcher(text).matches() ? text : null;
            case TEXT -> text;
            default -> null;
        };
    }
}
