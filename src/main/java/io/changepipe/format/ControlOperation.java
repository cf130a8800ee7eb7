package io.changepipe.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The DMS control-record operation of a DDL statement, read from its text (MySQL and SQL Server spellings):
 * {@code CREATE TABLE} → create-table, {@code DROP TABLE} → drop-table, {@code RENAME TABLE}, {@code ALTER TABLE ..
 * RENAME [TO|AS]} and {@code sp_rename 't', 'u'} → rename-table; inside {@code ALTER TABLE}: {@code ADD [COLUMN]} a
 * column → add-column, {@code DROP [COLUMN]} → drop-column, {@code RENAME COLUMN}, {@code CHANGE [COLUMN] a b} with
 * {@code b ≠ a} and {@code sp_rename .., 'COLUMN'} → rename-column, {@code MODIFY [COLUMN]}, {@code CHANGE a a} and
 * SQL Server's {@code ALTER COLUMN} → column-type-change; any other {@code ALTER TABLE}, or clauses of different kinds
 * in one statement, → change-columns ({@code ALGORITHM=}/{@code LOCK=} clauses do not count, and SQL Server's
 * {@code ADD a INT, b INT} is one kind). Other statements (CREATE/DROP INDEX, views, TRUNCATE, grants) are not table
 * changes.
 */
public enum ControlOperation {
    CREATE_TABLE("create-table"), DROP_TABLE("drop-table"), RENAME_TABLE("rename-table"), ADD_COLUMN("add-column"),
    DROP_COLUMN("drop-column"), RENAME_COLUMN("rename-column"), COLUMN_TYPE_CHANGE("column-type-change"),
    CHANGE_COLUMNS("change-columns");

    private static final Set<String> NOT_A_COLUMN = Set.of("INDEX", "KEY", "PRIMARY", "UNIQUE", "FULLTEXT", "SPATIAL",
            "FOREIGN", "CONSTRAINT", "PARTITION", "CHECK", "PERIOD", "SYSTEM", "DEFAULT");
    private static final Set<String> VERBS = Set.of("ADD", "DROP", "MODIFY", "CHANGE", "RENAME", "ALTER");

    private final String wireName;

    ControlOperation(String wireName) {
        this.wireName = wireName;
    }

    /** The name DMS writes in {@code metadata.operation}. */
    public String wireName() {
        return wireName;
    }

    /** True for what DMS's IncludeTableAlterOperations governs: every operation except create-table. */
    public boolean isTableAlter() {
        return this != CREATE_TABLE;
    }

    /** The operation of {@code ddl}, or empty when the statement does not create, drop, rename or alter a table. */
    public static Optional<ControlOperation> of(String ddl) {
        List<Token> t = Token.split(ddl);
        int i = 0;
        if (t.isEmpty()) {
            return Optional.empty();
        }
        String first = t.get(0).word();
        if (first.equals("CREATE")) {
            i = skip(t, 1, "OR", "REPLACE", "TEMPORARY", "GLOBAL", "LOCAL");
            return word(t, i).equals("TABLE") ? Optional.of(CREATE_TABLE) : Optional.empty();
        }
        if (first.equals("DROP")) {
            return word(t, skip(t, 1, "TEMPORARY")).equals("TABLE") ? Optional.of(DROP_TABLE) : Optional.empty();
        }
        if (first.equals("RENAME")) {
            return word(t, 1).equals("TABLE") || word(t, 1).equals("TABLES") ? Optional.of(RENAME_TABLE) : Optional.empty();
        }
        if ((first.equals("EXEC") || first.equals("EXECUTE")) && word(t, 1).endsWith("SP_RENAME")) {
            return Optional.of(t.stream().anyMatch(x -> x.literal() && x.text().equalsIgnoreCase("COLUMN")) ? RENAME_COLUMN : RENAME_TABLE);
        }
        if (first.equals("ALTER")) {
            i = skip(t, 1, "ONLINE", "OFFLINE", "IGNORE");
            if (!word(t, i).equals("TABLE")) {
                return Optional.empty();
            }
            return Optional.of(alter(t, skipName(t, skip(t, i + 1, "IF", "EXISTS"))));
        }
        return Optional.empty();
    }

    private static ControlOperation alter(List<Token> t, int from) {
        ControlOperation kind = null;
        for (List<Token> clause : clauses(t, from)) {
            String verb = word(clause, 0);
            if (verb.equals("ALGORITHM") || verb.equals("LOCK")) {
                continue;
            }
            // SQL Server lists columns after one verb: ADD a INT, b INT / DROP COLUMN a, b
            boolean continues = (kind == ADD_COLUMN || kind == DROP_COLUMN) && !VERBS.contains(verb)
                    && clause.stream().noneMatch(x -> x.is("="));
            if (continues) {
                continue;
            }
            ControlOperation k = clause(clause);
            if (kind != null && kind != k) {
                return CHANGE_COLUMNS;
            }
            kind = k;
        }
        return kind == null ? CHANGE_COLUMNS : kind;
    }

    private static ControlOperation clause(List<Token> c) {
        String verb = word(c, 0);
        int i = word(c, 1).equals("COLUMN") ? 2 : 1;
        return switch (verb) {
            case "ADD" -> i == 2 || !NOT_A_COLUMN.contains(word(c, 1)) ? ADD_COLUMN : CHANGE_COLUMNS;
            case "DROP" -> i == 2 || !NOT_A_COLUMN.contains(word(c, 1)) ? DROP_COLUMN : CHANGE_COLUMNS;
            case "MODIFY" -> COLUMN_TYPE_CHANGE;
            case "CHANGE" -> {
                i = skip(c, i, "IF", "EXISTS");
                boolean same = c.size() > i + 1 && c.get(i).text().equalsIgnoreCase(c.get(i + 1).text());
                yield same ? COLUMN_TYPE_CHANGE : RENAME_COLUMN;
            }
            case "RENAME" -> switch (word(c, 1)) {
                case "COLUMN" -> RENAME_COLUMN;
                case "INDEX", "KEY" -> CHANGE_COLUMNS;
                default -> RENAME_TABLE;
            };
            // SQL Server changes a column's type with ALTER COLUMN c <type>; MySQL's ALTER c SET/DROP DEFAULT does not
            case "ALTER" -> c.stream().anyMatch(x -> !x.literal() && (x.word().equals("SET") || x.word().equals("DEFAULT")))
                    ? CHANGE_COLUMNS : COLUMN_TYPE_CHANGE;
            default -> CHANGE_COLUMNS;
        };
    }

    /** The comma-separated clauses of an ALTER TABLE, commas inside parentheses left alone. */
    private static List<List<Token>> clauses(List<Token> t, int from) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int depth = 0;
        for (int i = from; i < t.size(); i++) {
            Token x = t.get(i);
            if (x.is("(")) {
                depth++;
            } else if (x.is(")")) {
                depth--;
            } else if (depth == 0 && (x.is(",") || x.is(";"))) {
                if (!current.isEmpty()) {
                    out.add(current);
                }
                current = new ArrayList<>();
                continue;
            }
            current.add(x);
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private static int skip(List<Token> t, int i, String... words) {
        while (i < t.size() && List.of(words).contains(t.get(i).word())) {
            i++;
        }
        return i;
    }

    /** Skips a possibly qualified name: {@code db.t}, {@code `db`.`t`}, {@code [dbo].[t]}. */
    private static int skipName(List<Token> t, int i) {
        i++;
        while (i + 1 < t.size() && t.get(i).is(".")) {
            i += 2;
        }
        return i;
    }

    private static String word(List<Token> t, int i) {
        return i < t.size() ? t.get(i).word() : "";
    }

    /** A word, a quoted name or literal, or one punctuation character. */
    private record Token(String text, boolean quoted, boolean literal) {

        /** The upper-cased keyword, or "" for quoted names, literals and punctuation. */
        String word() {
            return quoted || literal ? "" : text.toUpperCase(Locale.ROOT);
        }

        boolean is(String punctuation) {
            return !quoted && !literal && text.equals(punctuation);
        }

        static List<Token> split(String sql) {
            List<Token> out = new ArrayList<>();
            int n = sql.length();
            int i = 0;
            while (i < n) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '-' && sql.startsWith("--", i) || c == '#') {
                    i = end(sql, sql.indexOf('\n', i));
                } else if (c == '/' && sql.startsWith("/*", i)) {
                    // MySQL's /*!50100 ... */ holds statement text; other comments do not
                    if (sql.startsWith("/*!", i)) {
                        i += 3;
                        while (i < n && Character.isDigit(sql.charAt(i))) {
                            i++;
                        }
                    } else {
                        int close = sql.indexOf("*/", i + 2);
                        i = close < 0 ? n : close + 2;
                    }
                } else if (c == '*' && sql.startsWith("*/", i)) {
                    i += 2;
                } else if (c == '`' || c == '"' || c == '[' || c == '\'') {
                    char close = c == '[' ? ']' : c;
                    int j = i + 1;
                    StringBuilder text = new StringBuilder();
                    while (j < n) {
                        char d = sql.charAt(j);
                        if (d == close && j + 1 < n && sql.charAt(j + 1) == close && c != '[') {
                            text.append(d);
                            j += 2;
                        } else if (d == close) {
                            break;
                        } else {
                            text.append(d);
                            j++;
                        }
                    }
                    out.add(new Token(text.toString(), c != '\'', c == '\''));
                    i = j + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@') {
                    int j = i;
                    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || "_$@".indexOf(sql.charAt(j)) >= 0)) {
                        j++;
                    }
                    out.add(new Token(sql.substring(i, j), false, false));
                    i = j;
                } else {
                    out.add(new Token(String.valueOf(c), false, false));
                    i++;
                }
            }
            return out;
        }

        private static int end(String sql, int newline) {
            return newline < 0 ? sql.length() : newline + 1;
        }
    }
}
