package io.changepipe.source.mysql;

import io.changepipe.event.TableId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Table changes further on in the binlog than the reader, read with {@code SHOW BINLOG EVENTS}: the proof that a shape
 * read from information_schema now is the one an older event was written with, when the event's own metadata cannot
 * tell. Statements count as changes exactly when the reader would drop the cached shape for them ({@link DdlStatement}).
 * The range read is remembered, so catching up reads each part of the binlog here once, not once per table.
 */
final class DdlLookahead {

    private record Ddl(BinlogPoint at, DdlStatement statement, String sql) {
    }

    private BinlogPoint from;
    private BinlogPoint to;
    private final List<Ddl> seen = new ArrayList<>();

    /** The first statement from {@code from} (an event's start) up to {@code to} that changes {@code table}, as {@code file:pos: sql}. */
    Optional<String> firstChange(Connection c, TableId table, BinlogPoint from, BinlogPoint to) throws SQLException {
        if (this.from == null || before(from, this.from) || before(this.to, from)) {
            this.from = from;
            this.to = from;
            seen.clear();
        }
        if (before(this.to, to)) {
            scan(c, this.to, to);
            this.to = to;
        }
        seen.removeIf(d -> before(d.at(), from));
        this.from = from;
        return seen.stream()
                .filter(d -> before(d.at(), to) && changes(d.statement(), table))
                .map(d -> d.at().text() + ": " + (d.sql().length() > 120 ? d.sql().substring(0, 120) + "…" : d.sql()))
                .findFirst();
    }

    static boolean before(BinlogPoint a, BinlogPoint b) {
        int c = a.file().compareTo(b.file());
        return c < 0 || c == 0 && a.position() < b.position();
    }

    private static boolean changes(DdlStatement d, TableId table) {
        if (d.kind() == DdlStatement.Kind.DATABASE) {
            return table.schema().equals(d.database());
        }
        return d.changesShape() && (d.tables().contains(table) || d.newNames().contains(table));
    }

    private void scan(Connection c, BinlogPoint start, BinlogPoint end) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                String f = rs.getString(1);
                if (f.compareTo(start.file()) >= 0 && f.compareTo(end.file()) <= 0) {
                    files.add(f);
                }
            }
        }
        for (String f : files) {
            String sql = "SHOW BINLOG EVENTS IN '" + f.replace("'", "''") + "'" + (f.equals(start.file()) ? " FROM " + start.position() : "");
            try (Statement st = c.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                st.setFetchSize(Integer.MIN_VALUE); // streamed: a binlog file can hold millions of events
                try (ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        long pos = rs.getLong(2);
                        if (f.equals(end.file()) && pos >= end.position()) {
                            break;
                        }
                        if (rs.getString(3).startsWith("Query")) {
                            query(new BinlogPoint(f, pos, ""), rs.getString(6));
                        }
                    }
                }
            }
        }
    }

    /** A Query event's text as SHOW BINLOG EVENTS prints it: {@code use `db`; statement} or the statement alone. */
    private void query(BinlogPoint at, String info) {
        if (info == null) {
            return;
        }
        String db = null;
        String sql = info;
        if (info.startsWith("use `")) {
            int end = info.indexOf("`; ", 5);
            if (end > 0) {
                db = info.substring(5, end).replace("``", "`");
                sql = info.substring(end + 3);
            }
        }
        if (DdlStatement.isTransactionControl(sql)) {
            return;
        }
        String text = sql;
        DdlStatement.parse(sql, db).ifPresent(d -> seen.add(new Ddl(at, d, text)));
    }
}
