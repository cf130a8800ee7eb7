/**
 * The expression language of a pipeline: DMS {@code add-column} expressions, source filters and SNS {@code when}
 * conditions. It is the SQLite-flavoured SQL that AWS DMS documents; JSqlParser parses it and {@link
 * io.changepipe.expr.SqlExpressions#compile} turns the tree, once, into small evaluator nodes.
 *
 * <h2>Values</h2>
 * Long (BigInteger beyond 64 bits), BigDecimal, Double, String, byte[], Boolean and the row's java.time values.
 * <ul>
 * <li>Integer literals are Long; literals with a point or exponent are BigDecimal (SQLite would say REAL) so that
 *     {@code 0.1 + 0.2} is exactly 0.3 and a DECIMAL column stays exact through {@code price * 1.1}.</li>
 * <li>Arithmetic works in the higher of Long &lt; BigInteger &lt; BigDecimal &lt; Double: integer overflow widens to
 *     BigInteger instead of wrapping; a Double (REAL) anywhere makes a Double. Two integers divide as integers;
 *     division or {@code %} by zero is NULL. BigDecimal division keeps 34 significant digits.</li>
 * <li>Text in arithmetic counts by its numeric prefix ({@code 'abc' * 2} is 0, {@code '12ab' + 1} is 13), as in
 *     SQLite: there are no type errors at run time.</li>
 * <li>Comparisons, logic, IN, LIKE answer Boolean (or null); a Boolean counts as 1 or 0 wherever a number is needed
 *     and prints as '1'/'0'.</li>
 * <li>Date and time values from rows are text in SQLite's form: 'YYYY-MM-DD', 'HH:MM:SS', 'YYYY-MM-DD HH:MM:SS',
 *     with a fraction only when there is one, in groups of three digits ('.250', '.250500'); an Instant is shown in
 *     UTC. Values of the same java.time type compare as times, others as that text.</li>
 * <li>Comparison orders numbers &lt; text &lt; blobs, with one affinity rule: a number meets text that spells a number
 *     numerically ({@code amount = '10'}), as a numeric column would in SQLite. Text compares by code point. A
 *     BigDecimal meets a Double as a Double, so the literal 0.1 equals a DOUBLE column holding 0.1.</li>
 * </ul>
 *
 * <h2>Names</h2>
 * {@code col} and {@code $col} read a column; {@code $operation}, {@code $table}, {@code $schema},
 * {@code $commit_timestamp}, {@code $AR_H_*} and {@code $AR_M_*} read metadata instead (any case);
 * {@code before.col} reads the before image and is NULL when there is none. {@code "My Col"} and backticks quote.
 * Names match exactly, then ignoring case (MySQL column names are case-insensitive).
 *
 * <h2>Differences from SQLite</h2>
 * {@code ==} is accepted by rewriting it to {@code =} before parsing; the GLOB operator does not parse in
 * JSqlParser, so write {@code glob(pattern, text)}; {@code "x"} is always a column, never SQLite's fallback string;
 * round, ceil, floor and abs keep the kind of their argument (round(7) is 7, round of a DECIMAL a DECIMAL); lower
 * and upper are Unicode-aware; max/min use the affinity rule above; {@code %} on a REAL or DECIMAL uses the integer
 * parts, as SQLite does, but answers a BigDecimal for a DECIMAL.
 */
package io.changepipe.expr;
