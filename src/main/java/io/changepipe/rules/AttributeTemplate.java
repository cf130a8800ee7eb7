package io.changepipe.rules;

import io.changepipe.event.Row;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * The {@code value} of an object-mapping attribute, parsed once per pipeline: text with {@code ${column}} references,
 * one bare reference (which keeps the column's typed value), a JSON literal, or a document of named fields
 * ({@link AttributeTemplates} parses them).
 * {@link #bind} resolves the column names against one column list, so evaluation reads values by position.
 */
sealed interface AttributeTemplate {

    /** A template bound to one column list: evaluates on rows of that list. */
    interface Bound {
        Object value(Row row);
    }

    /**
     * Binds to a column list; {@code column} gives a name's position and throws {@link RuleException} for a name the
     * list lacks.
     */
    Bound bind(ToIntFunction<String> column);

    /** Text with references: {@code literals} has one more element than {@code columns}. Null values read as "". */
    record Text(List<String> literals, List<String> columns) implements AttributeTemplate {
        public Text {
            literals = List.copyOf(literals);
            columns = List.copyOf(columns);
        }

        @Override
        public Bound bind(ToIntFunction<String> column) {
            String[] text = literals.toArray(String[]::new);
            int[] at = columns.stream().mapToInt(column).toArray();
            if (at.length == 0) {
                return row -> text[0];
            }
            return row -> {
                StringBuilder b = new StringBuilder(text[0]);
                for (int i = 0; i < at.length; i++) {
                    String v = SqlValues.text(row.value(at[i]));
                    b.append(v == null ? "" : v).append(text[i + 1]);
                }
                return b.toString();
            };
        }
    }

    /** Exactly {@code ${column}}: the column's value as it is (a number stays a number, null stays null). */
    record Reference(String column) implements AttributeTemplate {
        @Override
        public Bound bind(ToIntFunction<String> col) {
            int at = col.applyAsInt(column);
            return row -> row.value(at);
        }
    }

    /** A JSON number, boolean or null inside a document. */
    record Constant(Object value) implements AttributeTemplate {
        @Override
        public Bound bind(ToIntFunction<String> column) {
            return row -> value;
        }
    }

    /** A document: each evaluation makes a new {@code LinkedHashMap} of the fields, in order. */
    record Document(List<Field> fields) implements AttributeTemplate {
        public Document {
            fields = List.copyOf(fields);
        }

        @Override
        public Bound bind(ToIntFunction<String> column) {
            String[] names = fields.stream().map(Field::name).toArray(String[]::new);
            Bound[] values = fields.stream().map(f -> f.value().bind(column)).toArray(Bound[]::new);
            return row -> {
                Map<String, Object> m = new LinkedHashMap<>(names.length * 2);
                for (int i = 0; i < names.length; i++) {
                    m.put(names[i], values[i].value(row));
                }
                return m;
            };
        }
    }

    record Field(String name, AttributeTemplate value) {
    }
}
