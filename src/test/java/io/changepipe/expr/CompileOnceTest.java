package io.changepipe.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One compiled expression serves many rows: compile once, evaluate 100,000 times, every answer right. */
class CompileOnceTest {

    /** A row whose values change between evaluations, as a source's reused row buffer would. */
    static final class Row implements EvalContext {
        long qty;
        BigDecimal price;
        String name;
        String op;

        @Override
        public boolean hasColumn(String c) {
            return List.of("qty", "price", "name").contains(c);
        }

        @Override
        public Object column(String c) {
            return switch (c) {
                case "qty" -> qty;
                case "price" -> price;
                case "name" -> name;
                default -> null;
            };
        }

        @Override
        public boolean hasBefore(String c) {
            return false;
        }

        @Override
        public Object before(String c) {
            return null;
        }

        @Override
        public Object meta(String name) {
            return name.equals("operation") ? op : null;
        }
    }

    @Test
    void compiledOnceEvaluatedOnHundredThousandRows() {
        CompiledExpression e = SqlExpressions.compile(
                "CASE WHEN qty * price > 100 THEN 'big' ELSE lower($name) END || ':' || operation_indicator('D', 'U', 'I')");
        CompiledExpression total = SqlExpressions.compile("qty * price");
        CompiledExpression filter = SqlExpressions.compile("$operation <> 'delete' AND name LIKE 'item-1%'");
        Row row = new Row();
        String[] ops = {"insert", "update", "delete", "load"};
        int passed = 0;
        for (int i = 0; i < 100_000; i++) {
            row.qty = i % 7;
            row.price = BigDecimal.valueOf(i % 50, 1).add(BigDecimal.TEN);
            row.name = "Item-" + i;
            row.op = ops[i % 4];
            BigDecimal expectedTotal = row.price.multiply(BigDecimal.valueOf(row.qty));
            String letter = switch (row.op) {
                case "delete" -> "D";
                case "update" -> "U";
                default -> "I";
            };
            String expected = (expectedTotal.compareTo(BigDecimal.valueOf(100)) > 0 ? "big" : "item-" + i) + ":" + letter;
            assertEquals(expected, e.evaluate(row));
            assertEquals(expectedTotal, total.evaluate(row));
            boolean pass = !row.op.equals("delete") && row.name.startsWith("Item-1");
            assertEquals(pass, filter.test(row));
            passed += pass ? 1 : 0;
        }
        assertEquals(8_333, passed); // names Item-1..., minus every fourth row (deletes)
    }
}
