package io.changepipe.crash;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The crash test's database: three tables with unicode text, DECIMALs and NULLs, every row carrying a version
 * {@code v} that grows with each change of its key, and a writer thread that changes them in small transactions and
 * remembers every committed change (its global commit sequence, key, operation, version and row) and each commit's
 * GTID, so that a full load's snapshot point can be placed exactly among the commits ({@link #cutAt}). {@code items}
 * starts with {@link #LOAD_ROWS} rows so that its full load takes a few seconds.
 */
final class Workload {

    /** A committed change. {@code row} is the row after it, or before it for a delete; {@code version} is that row's. */
    record Change(long seq, String key, Op op, long version, Map<String, Object> row) {
        /** The identity a sink shows for it: a row state (load, insert, update) or the delete of one. */
        Identity identity() {
            return new Identity(key, op == Op.DELETE, version);
        }
    }

    enum Op { INSERT, UPDATE, DELETE }

    /** What identifies a change in any sink: the key, whether it is a delete, and the version of the row. */
    record Identity(String key, boolean delete, long version) {
        long rank() {
            return version * 2 + (delete ? 1 : 0);
        }
    }

    /** Columns holding numbers, compared as numbers whatever their text form. */
    static final Set<String> NUMERIC = Set.of("id", "v", "balance", "account_id", "amount", "qty", "price");

    /**
     * Rows of {@code items} before the writer starts (3/4 of its key range): a full load whose delivery takes seconds.
     * Not more: kinesis-mock wedges (100% CPU, requests time out for minutes) once a stream holds some 40,000 records,
     * and a table beyond the in-flight window (20,000) is put twice or more by the reloads.
     */
    static final int LOAD_ROWS = Integer.getInteger("crash.loadRows", 3_000);

    static final String[] NAMES = {"Zoë Ñandú", "東京 株式会社", "Müller & Söhne, \"GmbH\"", "🚀 rocket; emoji 😀", "O'Brien\nline two",
        "plain", "Ελληνικά", "עברית", "a,b,c", ""};

    final String db;
    final Map<String, Integer> maxId = new LinkedHashMap<>();
    /** Every change in commit order; written by the writer thread only while it runs. */
    final List<Change> committed = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, Object>> rows = new HashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    /** The GTID sequence number (in {@link #gtidDomain}) of each commit, index = commit sequence (0: the rows created). */
    private final List<Long> gtids = Collections.synchronizedList(new ArrayList<>());
    private volatile long gtidDomain = -1;
    private final Random random;
    private long seq;
    private volatile boolean altered;
    volatile boolean alterRequested;
    volatile boolean stop;
    volatile Throwable failure;
    volatile double txPerSecond;
    private Thread thread;

    Workload(String db, long seed, double txPerSecond) {
        this.db = db;
        this.random = new Random(seed);
        this.txPerSecond = txPerSecond;
        maxId.put("accounts", 260);
        maxId.put("payments", 520);
        maxId.put("items", LOAD_ROWS * 4 / 3);
    }

    static int port() {
        String v = System.getenv("CHANGEPIPE_MYSQL_PORT");
        return v == null || v.isBlank() ? 13306 : Integer.parseInt(v);
    }

    static Connection connect(String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port() + "/?user=" + user + "&password=" + password
                + "&useSSL=false&characterEncoding=UTF-8&connectionCollation=utf8mb4_unicode_ci");
    }

    /** Creates the database and tables and inserts the rows the full load will read (sequence 0), 500 rows a statement. */
    void create() throws SQLException {
        try (Connection c = connect("app", "apppass"); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db + " CHARACTER SET utf8mb4");
            st.execute("CREATE TABLE " + db + ".accounts (id INT PRIMARY KEY, v BIGINT NOT NULL, name VARCHAR(64) NOT NULL, "
                    + "balance DECIMAL(14,4) NULL, note TEXT NULL)");
            st.execute("CREATE TABLE " + db + ".payments (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, account_id INT NOT NULL, "
                    + "amount DECIMAL(10,2) NOT NULL, memo VARCHAR(80) NULL)");
            st.execute("CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v BIGINT NOT NULL, sku VARCHAR(32) NOT NULL, qty INT NULL, "
                    + "price DECIMAL(8,3) NULL, label VARCHAR(100) NULL)");
            st.execute("CREATE TABLE " + db + ".marker (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            for (String table : maxId.keySet()) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (int id = 1; id <= maxId.get(table) * 3 / 4; id++) {
                    String key = table + ":" + id;
                    Map<String, Object> row = values(table, id, versions.merge(key, 1L, Long::sum));
                    rows.put(key, row);
                    committed.add(new Change(0, key, Op.INSERT, 1, row));
                    batch.add(row);
                    if (batch.size() == 500 || id == maxId.get(table) * 3 / 4) {
                        insert(c, table, batch);
                        batch.clear();
                    }
                }
            }
            c.commit();
            recordGtid(c);
        }
    }

    private void insert(Connection c, String table, List<Map<String, Object>> batch) throws SQLException {
        String cols = String.join(", ", batch.get(0).keySet());
        String marks = "(" + batch.get(0).keySet().stream().map(x -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + db + "." + table + " (" + cols + ") VALUES "
                + String.join(", ", Collections.nCopies(batch.size(), marks)))) {
            int i = 1;
            for (Map<String, Object> row : batch) {
                for (Object value : row.values()) {
                    ps.setObject(i++, value);
                }
            }
            ps.executeUpdate();
        }
    }

    /** Remembers the GTID of the session's last commit as the latest commit's. */
    private void recordGtid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT @@last_gtid")) {
            rs.next();
            String[] p = rs.getString(1).split("-");
            if (p.length != 3) {
                throw new IllegalStateException("@@last_gtid is '" + rs.getString(1) + "', not domain-server-sequence");
            }
            gtidDomain = Long.parseLong(p[0]);
            gtids.add(Long.parseLong(p[2]));
        }
    }

    /**
     * The last commit (its sequence) inside the snapshot taken at binlog {@code file:position}: MariaDB's
     * {@code BINLOG_GTID_POS} gives the GTID state there, and a commit is inside when its GTID is within it.
     */
    long cutAt(String file, long position) throws SQLException {
        long within = -1;
        try (Connection c = connect("app", "apppass"); PreparedStatement ps = c.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            ps.setString(1, file);
            ps.setLong(2, position);
            try (ResultSet rs = ps.executeQuery()) {
                String pos = rs.next() ? rs.getString(1) : null;
                if (pos == null) {
                    throw new IllegalStateException("BINLOG_GTID_POS(" + file + ", " + position + ") is NULL");
                }
                for (String gtid : pos.split(",")) {
                    String[] p = gtid.trim().split("-");
                    if (p.length == 3 && Long.parseLong(p[0]) == gtidDomain) {
                        within = Long.parseLong(p[2]);
                    }
                }
            }
        }
        long cut = -1;
        synchronized (gtids) {
            for (int seq = 0; seq < gtids.size() && gtids.get(seq) <= within; seq++) {
                cut = seq;
            }
        }
        return cut;
    }

    void start() {
        thread = new Thread(this::run, "crash-writer");
        thread.setDaemon(true);
        thread.start();
    }

    void stopAndJoin() throws InterruptedException {
        stop = true;
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (failure != null) {
            throw new AssertionError("the writer failed", failure);
        }
    }

    private void run() {
        try (Connection c = connect("app", "apppass")) {
            c.setAutoCommit(false);
            long started = System.nanoTime();
            long txs = 0;
            while (!stop) {
                if (alterRequested && !altered) {
                    try (Statement st = c.createStatement()) {
                        st.execute("ALTER TABLE " + db + ".accounts ADD COLUMN tier VARCHAR(16) NULL");
                    }
                    altered = true;
                }
                transaction(c);
                txs++;
                long due = started + (long) (txs * 1e9 / txPerSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** One to four changes on random keys of random tables, committed together. */
    private void transaction(Connection c) throws SQLException {
        seq++;
        List<Change> tx = new ArrayList<>();
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
            String table = List.copyOf(maxId.keySet()).get(random.nextInt(maxId.size()));
            int id = 1 + random.nextInt(maxId.get(table));
            tx.add(write(c, table, id, seq));
        }
        c.commit();
        recordGtid(c);
        committed.addAll(tx);
    }

    /** Inserts, updates or deletes one row (an absent row is inserted) and returns the change, not yet committed. */
    private Change write(Connection c, String table, int id, long txSeq) throws SQLException {
        String key = table + ":" + id;
        Map<String, Object> before = rows.get(key);
        if (before != null && random.nextInt(100) < 18) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + db + "." + table + " WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            rows.remove(key);
            return new Change(txSeq, key, Op.DELETE, versions.get(key), before);
        }
        long v = versions.merge(key, 1L, Long::sum);
        Map<String, Object> row = values(table, id, v);
        String cols = String.join(", ", row.keySet());
        String marks = row.keySet().stream().map(x -> "?").collect(Collectors.joining(", "));
        String sql = before == null
                ? "INSERT INTO " + db + "." + table + " (" + cols + ") VALUES (" + marks + ")"
                : "UPDATE " + db + "." + table + " SET " + row.keySet().stream().map(x -> x + " = ?").collect(Collectors.joining(", "))
                        + " WHERE id = " + id;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object value : row.values()) {
                ps.setObject(i++, value);
            }
            ps.executeUpdate();
        }
        rows.put(key, row);
        return new Change(txSeq, key, before == null ? Op.INSERT : Op.UPDATE, v, row);
    }

    private Map<String, Object> values(String table, int id, long v) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", (long) id);
        r.put("v", v);
        switch (table) {
            case "accounts" -> {
                r.put("name", NAMES[random.nextInt(NAMES.length)] + " #" + v);
                r.put("balance", random.nextInt(5) == 0 ? null : BigDecimal.valueOf(random.nextLong(-10_000_000, 100_000_000), 4));
                r.put("note", random.nextInt(3) == 0 ? null : "note " + NAMES[random.nextInt(NAMES.length)]);
                if (altered) {
                    r.put("tier", random.nextInt(3) == 0 ? null : List.of("gold", "silver", "bronze ✓").get(random.nextInt(3)));
                }
            }
            case "payments" -> {
                r.put("account_id", (long) 1 + random.nextInt(200));
                r.put("amount", BigDecimal.valueOf(random.nextInt(100_000), 2));
                r.put("memo", random.nextInt(4) == 0 ? null : NAMES[random.nextInt(NAMES.length)]);
            }
            case "items" -> {
                r.put("sku", "SKU-" + id + "-" + v);
                r.put("qty", random.nextInt(4) == 0 ? null : (long) random.nextInt(1000));
                r.put("price", random.nextInt(4) == 0 ? null : BigDecimal.valueOf(random.nextInt(9_999_999), 3));
                r.put("label", random.nextInt(3) == 0 ? null : NAMES[random.nextInt(NAMES.length)]);
            }
            default -> throw new IllegalArgumentException(table);
        }
        return r;
    }

    /** The SNS rule of the test pipeline, evaluated here: payments of at least 500. */
    static boolean alerts(Change c) {
        return c.key().startsWith("payments:") && ((BigDecimal) c.row().get("amount")).compareTo(BigDecimal.valueOf(500)) >= 0;
    }

    /** The tables' rows now, by key, values normalised with {@link #norm}. */
    Map<String, Map<String, String>> tableContents() throws SQLException {
        Map<String, Map<String, String>> out = new TreeMap<>();
        try (Connection c = connect("app", "apppass"); Statement st = c.createStatement()) {
            for (String table : maxId.keySet()) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + db + "." + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, String> row = new TreeMap<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            row.put(md.getColumnLabel(i), norm(md.getColumnLabel(i), rs.getString(i)));
                        }
                        out.put(table + ":" + rs.getLong("id"), row);
                    }
                }
            }
        }
        return out;
    }

    /** A column's value as compared: numbers without trailing zeros, text as is, NULL as null. */
    static String norm(String column, Object value) {
        if (value == null) {
            return null;
        }
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        return NUMERIC.contains(column) ? new BigDecimal(text).stripTrailingZeros().toPlainString() : text;
    }

    /** A writer's row normalised like {@link #tableContents()}; columns added later are null. */
    static Map<String, String> norm(Map<String, Object> row, Set<String> columns) {
        Map<String, String> out = new TreeMap<>();
        columns.forEach(col -> out.put(col, null));
        row.forEach((col, value) -> out.put(col, norm(col, value)));
        return out;
    }
}
