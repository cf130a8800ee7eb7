package io.changepipe.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The public surface: compile's variants, test() truthiness, the error types and their messages. */
class SqlExpressionsTest {

    @Test
    void testFollowsSqliteTruthiness() {
        MapContext row = MapContext.parse("{zero: 0, one: 1, half: 0.5, text: 'abc', numeric: '2x', none: NULL, empty: ''}");
        assertFalse(SqlExpressions.compile("zero").test(row));
        assertTrue(SqlExpressions.compile("one").test(row));
        assertTrue(SqlExpressions.compile("half").test(row));
        assertFalse(SqlExpressions.compile("text").test(row));
        assertTrue(SqlExpressions.compile("numeric").test(row));
        assertFalse(SqlExpressions.compile("none").test(row));
        assertFalse(SqlExpressions.compile("empty").test(row));
        assertFalse(SqlExpressions.compile("one > 1").test(row));
    }

    @Test
    void runtimeErrorsNameTheExpressionAndTheColumn() {
        CompiledExpression e = SqlExpressions.compile("price * qty");
        ExpressionException ex = assertThrows(ExpressionException.class, () -> e.evaluate(MapContext.parse("{price: 2}")));
        assertEquals("price * qty", ex.expression());
        assertEquals("unknown column 'qty'", ex.reason());
        assertEquals("unknown column 'qty' in expression 'price * qty'", ex.getMessage());
    }

    @Test
    void knownColumnsAreCheckedAtCompileTime() {
        assertEquals("unknown column 'qty'", assertThrows(IllegalArgumentException.class,
                () -> SqlExpressions.compile("price * qty", Set.of("price", "amount"))).getMessage());
        CompiledExpression e = SqlExpressions.compile("PRICE * 2", Set.of("price"));
        assertEquals(8L, e.evaluate(MapContext.parse("{price: 4}")));
    }

    @Test
    void compileKeepsTheTextAndFoldsConstants() {
        CompiledExpression e = SqlExpressions.compile("1 + 2 = 3");
        assertEquals("1 + 2 = 3", e.text());
        assertTrue(e.isConstant());
        assertFalse(SqlExpressions.compile("date('now')").isConstant());
        assertEquals(Boolean.TRUE, e.evaluate(MapContext.parse("{}")));
    }

    @Test
    void emptyTextIsAnError() {
        assertEquals("is an empty expression",
                assertThrows(IllegalArgumentException.class, () -> SqlExpressions.compile(" ")).getMessage());
    }

    @Test
    void everyCompileErrorIsOneLine() {
        for (String bad : new String[] {"foo(", "1 +", "CASE WHEN", "a b c", "'open", "count(*)", "nosuch(1)"}) {
            String message = assertThrows(IllegalArgumentException.class, () -> SqlExpressions.compile(bad)).getMessage();
            assertFalse(message.contains("\n"), bad + " gives a one-line reason: " + message);
        }
    }
}
