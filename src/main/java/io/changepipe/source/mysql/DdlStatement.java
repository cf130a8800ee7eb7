package io.changepipe.source.mysql;

import io.changepipe.event.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a statement of a binlog QUERY event does to tables: which kind of change, which tables (old names) and which
 * new names a rename gives them. Only as much SQL as that needs is read: words, quoted identifiers, comments.
 */
record DdlStatement(Kind kind, List<TableId> tables, List<TableId> newNames, String database) {

    enum Kind {
        /** Changes a table's shape: a DDL change event for each selected table. */
        CREATE, ALTER, DROP, RENAME,
        /** Leaves the shape (or only indexes) but may change the key: the cached shape is read again, no event. */
        TRUNCATE, INDEX,
        /** CREATE/ALTER/DROP DATABASE: every cached table of {@code database} is read again. */
        DATABASE
    }

    private static final Set<String> TX_CONTROL = Set.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "XA");

    /** True when the statement changes a table's shape (and becomes a DDL event). */
    boolean changesShape() {
        return kind == Kind.CREATE || kind == Kind.ALTER || kind == Kind.DROP || kind == Kind.RENAME;
    }

    /** True for BEGIN, COMMIT, ROLLBACK, SAVEPOINT, XA ...: statements about transactions, not tables. */
    static boolean isTransactionControl(String sql) {
        String first = firstWord(sql);
        return TX_CONTROL.contains(first);
    }

    static String firstWord(String sql) {
        List<Token> t = Token.split(sql, 1);
        return t.isEmpty() ? "" : t.get(0).upper();
    }

    /** What {@code sql} does to tables, unqualified names read in {@code defaultDb}; empty for anything else. */
    static Optional<DdlStatement> parse(String sql, String defaultDb) {
        List<Token> t = Token.split(sql, 200);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        Parser p = new Parser(t, defaultDb == null ? "" : defaultDb);
        return p.statement();
    }

    private static final class Parser {
        private final List<Token> t;
        private final String db;
        private int i;

        Parser(List<Token> t, String db) {
            this.t = t;
            this.db = db;
        }

        Optional<DdlStatement> statement() {
            String verb = word();
            i++;
            switch (verb) {
                case "CREATE" -> {
                    skip("OR", "REPLACE", "ONLINE", "OFFLINE", "UNIQUE", "FULLTEXT", "SPATIAL");
                    if (is("TEMPORARY")) {
                        return Optional.empty(); // temporary tables never reach the binlog's rows
                    }
                    if (eat("TABLE")) {
                        skip("IF", "NOT", "EXISTS");
                        return one(Kind.CREATE, name());
                    }
                    if (eat("INDEX")) {
                        return indexOn();
                    }
                    return database();
                }
                case "DROP" -> {
                    if (is("TEMPORARY")) {
                        return Optional.empty();
                    }
                    if (eat("TABLE") || eat("TABLES")) {
                        skip("IF", "EXISTS");
                        List<TableId> names = new ArrayList<>();
                        do {
                            names.add(name());
                        } while (eatSymbol(","));
                        return Optional.of(new DdlStatement(Kind.DROP, names, List.of(), null));
                    }
                    skip("ONLINE", "OFFLINE");
                    if (eat("INDEX")) {
                        return indexOn();
                    }
                    return database();
                }
                case "ALTER" -> {
                    skip("ONLINE", "OFFLINE", "IGNORE");
                    if (!eat("TABLE")) {
                        return database();
                    }
                    skip("IF", "EXISTS");
                    TableId table = name();
                    List<TableId> renamed = new ArrayList<>();
                    while (i < t.size()) {
                        if (eat("RENAME") && !is("COLUMN") && !is("INDEX") && !is("KEY") && !is("CONSTRAINT")) {
                            skip("TO", "AS");
                            renamed.add(name());
                        } else {
                            i++;
                        }
                    }
                    return Optional.of(new DdlStatement(Kind.ALTER, List.of(table), renamed, null));
                }
                case "RENAME" -> {
                    if (!eat("TABLE") && !eat("TABLES")) {
                        return Optional.empty();
                    }
                    List<TableId> from = new ArrayList<>();
                    List<TableId> to = new ArrayList<>();
                    do {
                        from.add(name());
                        eat("TO");
                        to.add(name());
                    } while (eatSymbol(","));
                    return Optional.of(new DdlStatement(Kind.RENAME, from, to, null));
                }
                case "TRUNCATE" -> {
                    eat("TABLE");
                    return one(Kind.TRUNCATE, name());
                }
                default -> {
                    return Optional.empty();
                }
            }
        }

        private Optional<DdlStatement> indexOn() {
            while (i < t.size() && !is("ON")) {
                i++;
            }
            if (!eat("ON")) {
                return Optional.empty();
            }
            return one(Kind.INDEX, name());
        }

        private Optional<DdlStatement> database() {
            if (eat("DATABASE") || eat("SCHEMA")) {
                skip("IF", "NOT", "EXISTS");
                String name = i < t.size() ? t.get(i).text() : db;
                return Optional.of(new DdlStatement(Kind.DATABASE, List.of(), List.of(), name));
            }
            return Optional.empty();
        }

        private Optional<DdlStatement> one(Kind kind, TableId table) {
            return Optional.of(new DdlStatement(kind, List.of(table), List.of(), null));
        }

        private TableId name() {
            String first = i < t.size() ? t.get(i++).text() : "";
            if (eatSymbol(".")) {
                String second = i < t.size() ? t.get(i++).text() : "";
                return new TableId(first, second);
            }
            return new TableId(db, first);
        }

        private String word() {
            return i < t.size() ? t.get(i).upper() : "";
        }

        private boolean is(String w) {
            return i < t.size() && !t.get(i).quoted() && t.get(i).upper().equals(w);
        }

        private boolean eat(String w) {
            if (is(w)) {
                i++;
                return true;
            }
            return false;
        }

        private boolean eatSymbol(String s) {
            if (i < t.size() && !t.get(i).quoted() && t.get(i).text().equals(s)) {
                i++;
                return true;
            }
            return false;
        }

        private void skip(String... words) {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (String w : words) {
                    if (eat(w)) {
                        moved = true;
                    }
                }
            }
        }
    }

    /** A word, a quoted identifier (backticks or double quotes), a string, or one symbol. */
    record Token(String text, boolean quoted) {
        String upper() {
            return quoted ? "" : text.toUpperCase(Locale.ROOT);
        }

        static List<Token> split(String sql, int max) {
            List<Token> out = new ArrayList<>();
            int n = sql.length();
            int i = 0;
            while (i < n && out.size() < max) {
                char c = sql.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                    int end = sql.indexOf("*/", i + 2);
                    i = end < 0 ? n : end + 2;
                } else if (c == '#' || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-' && Character.isWhitespace(sql.charAt(i + 2)))) {
                    int end = sql.indexOf('\n', i);
                    i = end < 0 ? n : end + 1;
                } else if (c == '`' || c == '"' || c == '\'') {
                    StringBuilder b = new StringBuilder();
                    int j = i + 1;
                    while (j < n) {
                        char d = sql.charAt(j);
                        if (d == c && j + 1 < n && sql.charAt(j + 1) == c) {
                            b.append(c);
                            j += 2;
                        } else if (d == c) {
                            break;
                        } else if (d == '\\' && c != '`' && j + 1 < n) {
                            b.append(sql.charAt(j + 1));
                            j += 2;
                        } else {
                            b.append(d);
                            j++;
                        }
                    }
                    out.add(new Token(b.toString(), true));
                    i = j + 1;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '$' || c > 0x7f) {
                    int j = i;
                    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_' || sql.charAt(j) == '$'
                            || sql.charAt(j) > 0x7f)) {
                        j++;
                    }
                    out.add(new Token(sql.substring(i, j), false));
                    i = j;
                } else {
                    out.add(new Token(String.valueOf(c), false));
                    i++;
                }
            }
            return out;
        }
    }
}
