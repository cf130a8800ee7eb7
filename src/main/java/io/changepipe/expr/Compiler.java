package io.changepipe.expr;

import io.changepipe.expr.Node.Const;
import io.changepipe.expr.Predicates.Comparison;
import io.changepipe.expr.SqlNumbers.Op;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CaseExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.SignedExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.WhenClause;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Concat;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.IsBooleanExpression;
import net.sf.jsqlparser.expression.operators.relational.IsDistinctExpression;
import net.sf.jsqlparser.expression.operators.relational.IsNullExpression;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;

/**
 * Walks JSqlParser's tree once and builds evaluator nodes. Parts whose inputs are all literals are evaluated here,
 * so {@code -5} or {@code hash_sha256('x')} cost nothing per row. Every problem is an IllegalArgumentException with
 * a one-line reason.
 */
final class Compiler {

    private static final Map<Class<?>, Op> ARITHMETIC = Map.of(Addition.class, Op.ADD, Subtraction.class, Op.SUB,
            Multiplication.class, Op.MUL, Division.class, Op.DIV, Modulo.class, Op.MOD);
    private static final Map<Class<?>, Comparison> COMPARISONS = Map.of(EqualsTo.class, Comparison.EQ,
            NotEqualsTo.class, Comparison.NE, MinorThan.class, Comparison.LT, MinorThanEquals.class, Comparison.LE,
            GreaterThan.class, Comparison.GT, GreaterThanEquals.class, Comparison.GE);
    private static final Map<String, String> TIME_KEYS = Map.of(
            "CURRENT_TIMESTAMP", "datetime", "CURRENT_DATE", "date", "CURRENT_TIME", "time");

    private final Set<String> knownColumns;
    private final Clock clock;

    /** {@code knownColumns} null means the columns are not known until rows arrive. */
    Compiler(Set<String> knownColumns, Clock clock) {
        this.knownColumns = knownColumns;
        this.clock = clock;
    }

    Node compile(Expression e) {
        Node literal = Literals.of(e);
        if (literal != null) {
            return literal;
        }
        if (e instanceof Column c) {
            return References.of(c, knownColumns);
        }
        if (e instanceof ParenthesedExpressionList<?> p) {
            if (p.size() != 1) {
                throw new IllegalArgumentException("row values such as '" + e + "' are not supported");
            }
            return compile(p.get(0));
        }
        if (e instanceof SignedExpression s) {
            Node operand = compile(s.getExpression());
            return switch (s.getSign()) {
                case '-' -> fold(new Operators.Negate(operand), operand);
                case '+' -> operand;
                default -> throw unsupported(e);
            };
        }
        if (e instanceof NotExpression n) {
            Node operand = compile(n.getExpression());
            return fold(new Predicates.Not(operand), operand);
        }
        if (e instanceof LikeExpression like) {
            return like(like);
        }
        if (e instanceof BinaryExpression b) {
            return binary(b);
        }
        return special(e);
    }

    private Node binary(BinaryExpression b) {
        Node l = compile(b.getLeftExpression());
        Node r = compile(b.getRightExpression());
        Op op = ARITHMETIC.get(b.getClass());
        Comparison cmp = COMPARISONS.get(b.getClass());
        Node n;
        if (op != null) {
            n = new Operators.Arithmetic(op, l, r);
        } else if (cmp != null) {
            n = new Predicates.Compare(cmp, l, r);
        } else if (b instanceof Concat) {
            n = new Operators.Concat(l, r);
        } else if (b instanceof AndExpression) {
            n = new Predicates.And(l, r);
        } else if (b instanceof OrExpression) {
            n = new Predicates.Or(l, r);
        } else if (b instanceof IsDistinctExpression d) {
            n = new Predicates.Distinct(l, r, !d.isNot());
        } else {
            throw unsupported(b);
        }
        return fold(n, l, r);
    }

    private Node special(Expression e) {
        if (e instanceof IsNullExpression n) {
            Node operand = compile(n.getLeftExpression());
            return fold(new Predicates.IsNull(operand, n.isNot() || n.isUseNotNull()), operand);
        }
        if (e instanceof IsBooleanExpression b) {
            Node operand = compile(b.getLeftExpression());
            return fold(new Predicates.IsBoolean(operand, b.isTrue(), b.isNot()), operand);
        }
        if (e instanceof InExpression in) {
            if (!(in.getRightExpression() instanceof ParenthesedExpressionList<?> list)) {
                throw new IllegalArgumentException("IN needs a list of values in parentheses, not '" + in.getRightExpression() + "'");
            }
            Node operand = compile(in.getLeftExpression());
            Node[] values = compileAll(list);
            return fold(new Predicates.In(operand, values, in.isNot()), concat(operand, values));
        }
        if (e instanceof Between b) {
            Node[] parts = {compile(b.getLeftExpression()), compile(b.getBetweenExpressionStart()), compile(b.getBetweenExpressionEnd())};
            return fold(new Predicates.Between(parts[0], parts[1], parts[2], b.isNot()), parts);
        }
        if (e instanceof CaseExpression c) {
            return caseOf(c);
        }
        if (e instanceof CastExpression c) {
            if (!c.isUseCastKeyword() || !"CAST".equalsIgnoreCase(c.keyword)) {
                throw new IllegalArgumentException("only CAST(x AS type) converts types, not '" + e + "'");
            }
            Node operand = compile(c.getLeftExpression());
            return fold(new Conditionals.Cast(operand, Conditionals.Affinity.of(c.getColDataType().getDataType())), operand);
        }
        if (e instanceof Function f) {
            return function(f);
        }
        if (e instanceof TrimFunction t) {
            return trim(t);
        }
        if (e instanceof TimeKeyExpression t && TIME_KEYS.containsKey(t.getStringValue().toUpperCase(Locale.ROOT))) {
            return call(TIME_KEYS.get(t.getStringValue().toUpperCase(Locale.ROOT)), new Node[0]);
        }
        throw unsupported(e);
    }

    private Node like(LikeExpression like) {
        if (like.getLikeKeyWord() != LikeExpression.KeyWord.LIKE && like.getLikeKeyWord() != LikeExpression.KeyWord.ILIKE) {
            throw unsupported(like);
        }
        Node operand = compile(like.getLeftExpression());
        Node pattern = compile(like.getRightExpression());
        Node escape = like.getEscape() == null ? null : compile(like.getEscape());
        Predicates.Like perRow = new Predicates.Like(operand, pattern, escape, like.isNot(), null);
        LikePattern fixed = pattern instanceof Const p && (escape == null || escape instanceof Const)
                ? guard(() -> perRow.compile(p.value(), escape == null ? null : ((Const) escape).value())) : null;
        Node n = fixed == null ? perRow : new Predicates.Like(operand, pattern, escape, like.isNot(), fixed);
        return escape == null ? fold(n, operand, pattern) : fold(n, operand, pattern, escape);
    }

    private Node caseOf(CaseExpression c) {
        Node subject = c.getSwitchExpression() == null ? null : compile(c.getSwitchExpression());
        List<WhenClause> clauses = c.getWhenClauses();
        Node[] whens = new Node[clauses.size()];
        Node[] thens = new Node[clauses.size()];
        List<Node> all = new ArrayList<>();
        for (int i = 0; i < whens.length; i++) {
            whens[i] = compile(clauses.get(i).getWhenExpression());
            thens[i] = compile(clauses.get(i).getThenExpression());
            all.add(whens[i]);
            all.add(thens[i]);
        }
        Node otherwise = c.getElseExpression() == null ? null : compile(c.getElseExpression());
        if (subject != null) {
            all.add(subject);
        }
        if (otherwise != null) {
            all.add(otherwise);
        }
        return fold(new Conditionals.Case(subject, whens, thens, otherwise), all.toArray(Node[]::new));
    }

    private Node function(Function f) {
        if (f.isDistinct() || f.isAllColumns() || f.isUnique() || f.getNamedParameters() != null || f.getKeep() != null
                || f.getOrderByElements() != null || f.getAttribute() != null) {
            throw unsupported(f);
        }
        definition(f.getName()); // an unknown name is the clearer complaint than anything about its arguments
        return call(f.getName(), f.getParameters() == null ? new Node[0] : compileAll(f.getParameters()));
    }

    /** trim(x), trim(x, chars) and the standard TRIM([LEADING|TRAILING|BOTH] [chars] FROM x). */
    private Node trim(TrimFunction t) {
        Expression target = t.isUsingFromKeyword() ? t.getFromExpression() : t.getExpression();
        Expression chars = t.isUsingFromKeyword() ? t.getExpression() : t.getFromExpression();
        String name = t.getTrimSpecification() == null ? "trim" : switch (t.getTrimSpecification()) {
            case LEADING -> "ltrim";
            case TRAILING -> "rtrim";
            default -> "trim";
        };
        Node x = compile(target);
        return call(name, chars == null ? new Node[] {x} : new Node[] {x, compile(chars)});
    }

    private static Functions.Def definition(String name) {
        Functions.Def def = Functions.lookup(name);
        if (def == null) {
            throw new IllegalArgumentException("unknown function '" + name + "'; known: " + Functions.names());
        }
        return def;
    }

    private Node call(String name, Node[] args) {
        Functions.Def def = definition(name);
        String arity = def.arityProblem(args.length);
        if (arity != null) {
            throw new IllegalArgumentException(arity);
        }
        Node n = def.binder().bind(args, clock);
        return def.pure() ? fold(n, args) : n;
    }

    private Node[] compileAll(ExpressionList<?> list) {
        Node[] nodes = new Node[list.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = compile(list.get(i));
        }
        return nodes;
    }

    private static Node[] concat(Node first, Node[] rest) {
        Node[] all = new Node[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** The node's value now when all its inputs are literals; a failure then is a compile-time error. */
    private static Node fold(Node n, Node... inputs) {
        return Node.allConstant(inputs) ? new Const(guard(() -> n.eval(null))) : n;
    }

    private static <T> T guard(Supplier<T> s) {
        try {
            return s.get();
        } catch (EvalError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static IllegalArgumentException unsupported(Expression e) {
        return new IllegalArgumentException("'" + e + "' is not supported in expressions");
    }
}
