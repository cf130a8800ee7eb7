package io.changepipe.rules;

import io.changepipe.definition.TableMappingDef.FilterCondition;
import io.changepipe.definition.TableMappingDef.FilterOperator;
import io.changepipe.definition.TableMappingDef.Selection;
import io.changepipe.definition.TableMappingDef.SourceFilter;
import io.changepipe.event.Columns;
import io.changepipe.event.Row;
import io.changepipe.event.TableId;
import io.changepipe.event.Values;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

/**
 * DMS source filters compiled to {@link RowFilter}s: conditions of a filter OR, filters of a rule AND. A value compares
 * as a number when it is one and the filter text parses as a number, as a date-time when it is a date, date-time or
 * instant and the text is {@code YYYY-MM-DD[ HH:MM:SS]}, else as text (binary order, like SQLite's default). A NULL
 * value matches only {@code null}: never eq, noteq, gte, lte, between or notbetween.
 */
final class SourceFilters {

    private SourceFilters() {
    }

    /** The filters of one include rule, ANDed; {@link RowFilter#ALL} when it has none. */
    static RowFilter compile(Selection rule, TableId table) {
        List<SourceFilter> filters = rule.filters();
        if (filters.isEmpty()) {
            return RowFilter.ALL;
        }
        ColumnFilter[] all = filters.stream().map(f -> new ColumnFilter(rule, table, f)).toArray(ColumnFilter[]::new);
        if (all.length == 1) {
            return all[0];
        }
        return row -> {
            for (ColumnFilter f : all) {
                if (!f.accept(row)) {
                    return false;
                }
            }
            return true;
        };
    }

    /** Rows that pass any of the filters. */
    static RowFilter anyOf(List<RowFilter> filters) {
        if (filters.isEmpty() || filters.contains(RowFilter.ALL)) {
            return RowFilter.ALL;
        }
        if (filters.size() == 1) {
            return filters.get(0);
        }
        RowFilter[] all = filters.toArray(RowFilter[]::new);
        return row -> {
            for (RowFilter f : all) {
                if (f.accept(row)) {
                    return true;
                }
            }
            return false;
        };
    }

    /** One filter: its column's position is resolved once per row shape, not per row. */
    private static final class ColumnFilter implements RowFilter {
        private final Selection rule;
        private final TableId table;
        private final String column;
        private final Condition[] conditions;
        private Slot slot = new Slot(null, -1);

        ColumnFilter(Selection rule, TableId table, SourceFilter filter) {
            this.rule = rule;
            this.table = table;
            this.column = filter.columnName();
            this.conditions = filter.conditions().stream().map(Condition::of).toArray(Condition[]::new);
        }

        @Override
        public boolean accept(Row row) {
            Object v = row.value(index(row.columns()));
            for (Condition c : conditions) {
                if (c.test(v)) {
                    return true;
                }
            }
            return false;
        }

        private int index(Columns columns) {
            Slot s = slot;
            if (s.columns == columns) {
                return s.index;
            }
            int i = columns.indexOf(column);
            if (i < 0) {
                throw new RuleException(RuleException.label(rule) + ": filter column '" + column + "' is not a column of "
                        + table + " " + columns + "; filters need the column in every row image (deletes: the before image)");
            }
            slot = new Slot(columns, i);
            return i;
        }
    }

    /** A resolved column position; immutable, so a racy read sees either the old or the new pair, both valid. */
    private record Slot(Columns columns, int index) {
    }

    private record Operand(String text, BigDecimal number, LocalDateTime dateTime) {
        static Operand of(String text) {
            return text == null ? null : new Operand(text, SqlValues.parseNumber(text), SqlValues.parseDateTime(text));
        }

        int compare(Object v) {
            if (number != null) {
                BigDecimal n = SqlValues.number(v);
                if (n != null) {
                    return n.compareTo(number);
                }
            }
            if (dateTime != null) {
                LocalDateTime t = Values.utcDateTime(v);
                if (t != null) {
                    return t.compareTo(dateTime);
                }
            }
            return SqlValues.text(v).compareTo(text);
        }
    }

    private record Condition(FilterOperator op, Operand a, Operand b) {
        static Condition of(FilterCondition c) {
            boolean range = c.operator().operands() == 2;
            return new Condition(c.operator(), Operand.of(range ? c.startValue().orElse(null) : c.value().orElse(null)),
                    Operand.of(range ? c.endValue().orElse(null) : null));
        }

        boolean test(Object v) {
            if (op == FilterOperator.NULL || op == FilterOperator.NOTNULL) {
                return (v == null) == (op == FilterOperator.NULL);
            }
            if (v == null) {
                return false;
            }
            return switch (op) {
                case EQ -> a.compare(v) == 0;
                case NOTEQ -> a.compare(v) != 0;
                case GTE -> a.compare(v) >= 0;
                case LTE, STE -> a.compare(v) <= 0;
                case BETWEEN -> a.compare(v) >= 0 && b.compare(v) <= 0;
                case NOTBETWEEN -> a.compare(v) < 0 || b.compare(v) > 0;
                case NULL, NOTNULL -> throw new AssertionError(op);
            };
        }
    }
}
