package io.changepipe.source.mysql;

import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The local MariaDB of bin/services (port from CHANGEPIPE_MYSQL_PORT, default 13306): {@code app} writes, {@code cdc}
 * reads. Every test class works in databases of its own (unique names), so parallel runs do not collide.
 */
final class MariaDb {

    private MariaDb() {
    }

    static int port() {
        String v = System.getenv("CHANGEPIPE_MYSQL_PORT");
        return v == null || v.isBlank() ? 13306 : Integer.parseInt(v);
    }

    static Connection app() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + port() + "/?user=app&password=apppass&useSSL=false");
    }

    static void exec(String... statements) throws SQLException {
        try (Connection c = app(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    /** A new empty database named {@code prefix_<random>}. */
    static String freshDatabase(String prefix) throws SQLException {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        exec("CREATE DATABASE " + name);
        return name;
    }

    static void drop(String database) {
        try {
            exec("DROP DATABASE IF EXISTS " + database);
        } catch (SQLException e) {
            // leftovers are harmless: names are unique
        }
    }

    /**
     * A pipeline reading {@code database} as {@code cdc} into one sink ({@code stream}, type kinesis), from YAML so the
     * real parser and defaults apply. {@code source} is extra source keys (indented 4), {@code rules} the tableMappings
     * rules list (indented 6); null means "include every table of the database".
     */
    static PipelineDef pipeline(String name, String database, String migrationType, String source, String rules) {
        String yaml = """
                apiVersion: changepipe.io/v1
                kind: Pipeline
                metadata:
                  name: %s
                spec:
                  source:
                    type: mysql
                    connection:
                      host: 127.0.0.1
                      port: %d
                      user: cdc
                      password: "${env:CDC_DB_PASSWORD}"
                    migrationType: %s
                    serverId: %d
                %s
                  tableMappings:
                    rules:
                %s
                  sinks:
                    - name: stream
                      type: kinesis
                      stream: s
                      region: us-east-1
                """.formatted(name, port(), migrationType, serverId(), source == null ? "" : source.indent(4).stripTrailing(),
                (rules != null ? rules : """
                        - rule-type: selection
                          rule-id: "1"
                          rule-name: all
                          object-locator: { schema-name: %s, table-name: "%%" }
                          rule-action: include
                        """.formatted(database)).indent(6).stripTrailing());
        PipelineParser.FileResult r = new PipelineParser(n -> n.equals("CDC_DB_PASSWORD") ? "cdcpass" : null, true)
                .parse(name + ".yaml", Path.of("."), yaml);
        if (!r.problems().isEmpty() || r.pipelines().isEmpty()) {
            throw new IllegalArgumentException("bad test pipeline: " + r.problems() + "\n" + yaml);
        }
        return r.pipelines().get(0);
    }

    /**
     * A replica server id of its own: pipeline names repeat across runs, and two runs on the shared server at once
     * with the same derived id would make the server drop one of the connections.
     */
    static long serverId() {
        return 2_000_000_000L + java.util.concurrent.ThreadLocalRandom.current().nextLong(2_000_000_000L);
    }

    static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }
}
