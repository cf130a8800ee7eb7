package io.changepipe.expr;

import io.changepipe.expr.Node.Const;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.HexValue;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.StringValue;

/**
 * Literals: integers are Long (BigInteger past 64 bits); numbers with a point or exponent are BigDecimal, not
 * SQLite's REAL, so {@code 0.1 + 0.2} is exactly 0.3 and {@code price * 1.1} stays exact for a DECIMAL price;
 * {@code x'0A'} is a blob and {@code 0xFF} an integer, as in SQLite.
 */
final class Literals {

    private Literals() {
    }

    /** The literal's constant node, or null when {@code e} is not a literal. */
    static Node of(Expression e) {
        if (e instanceof LongValue v) {
            return new Const(SqlNumbers.integer(v.getBigIntegerValue()));
        }
        if (e instanceof DoubleValue v) {
            try {
                return new Const(new BigDecimal(v.toString()));
            } catch (NumberFormatException outOfRange) {
                throw new IllegalArgumentException("number " + v + " is out of range");
            }
        }
        if (e instanceof StringValue v) {
            if (v.getPrefix() != null && !v.getPrefix().equalsIgnoreCase("N")) {
                throw new IllegalArgumentException("'" + e + "' is not supported in expressions");
            }
            return new Const(v.getValue().replace("''", "'"));
        }
        if (e instanceof HexValue v) {
            return hex(v.getValue().strip());
        }
        if (e instanceof NullValue) {
            return Const.NULL;
        }
        return e instanceof BooleanValue v ? new Const(v.getValue()) : null;
    }

    private static Node hex(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return new Const(SqlNumbers.integer(new BigInteger(text.substring(2), 16)));
        }
        String digits = text.substring(2, text.length() - 1);
        if (digits.length() % 2 != 0) {
            throw new IllegalArgumentException("blob literal " + text + " has an odd number of hex digits");
        }
        return new Const(HexFormat.of().parseHex(digits));
    }
}
