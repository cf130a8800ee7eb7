package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.compile.Plugins;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.yaml.PipelineParser;
import io.changepipe.offset.FilePositionStore;
import io.changepipe.runtime.PipelineRuntime;
import io.changepipe.sink.FileDeadLetters;
import io.changepipe.sink.memory.MemorySink;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pipelines that cannot work fail alone with an error naming the pipeline and what to fix, while a healthy one next
 * to them keeps delivering. (binlog_format=STATEMENT cannot be provoked on the shared server without breaking every
 * other reader of it: {@link PreflightTest} pins that message.)
 */
class MySqlBadInputsIT {

    static String db;

    @TempDir
    Path state;

    PipelineRuntime runtime;
    final Map<String, MemorySink> sinks = new ConcurrentHashMap<>();

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_bad");
        MariaDb.exec("CREATE TABLE " + db + ".invoices (invoice_id INT PRIMARY KEY)");
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.stopAll();
        }
    }

    PipelineDef pipeline(String name, String user, String passwordEnv, String table, String action) {
        String yaml = """
                apiVersion: changepipe.io/v1
                kind: Pipeline
                metadata:
                  name: %s
                spec:
                  source:
                    type: mysql
                    connection: { host: 127.0.0.1, port: %d, user: %s, password: "${env:%s}" }
                    migrationType: full-load-and-cdc
                    serverId: %d
                  tableMappings:
                    rules:
                      - rule-type: selection
                        rule-id: "3"
                        rule-name: invoices
                        object-locator: { schema-name: "%s", table-name: %s }
                        rule-action: %s
                  sinks:
                    - { name: stream, type: kinesis, stream: s, region: us-east-1 }
                """.formatted(name, MariaDb.port(), user, passwordEnv, MariaDb.serverId(), db.replace("_", "[_]"), table, action);
        Map<String, String> env = Map.of("CDC_DB_PASSWORD", "cdcpass", "WRONG_PASSWORD", "not-the-password", "NOREPL_PASSWORD", "noreplpass");
        return new PipelineParser(env::get, true).parse(name + ".yaml", Path.of("."), yaml).pipelines().get(0);
    }

    PipelineRuntime runtime() {
        runtime = new PipelineRuntime(new Plugins(List.of(Graphs.mysql()), Graphs.sinks(n -> new MemorySink())),
                new FilePositionStore(state), new FileDeadLetters(state, Clock.systemUTC()), Clock.systemUTC(), p -> (t, op) -> { },
                Graphs.SETTINGS);
        return runtime;
    }

    String failure(String pipeline) throws InterruptedException {
        MariaDb.await(() -> runtime.status(pipeline).state().equals("failed"), Duration.ofSeconds(30), () -> pipeline + " fails, is "
                + runtime.status(pipeline));
        return runtime.status(pipeline).reason();
    }

    @Test
    void eachBadInputFailsItsOwnPipelineWithWhatToFix() throws Exception {
        runtime();
        runtime.start(pipeline("healthy", "cdc", "CDC_DB_PASSWORD", "invoices", "include"));
        runtime.start(pipeline("wrong-password", "cdc", "WRONG_PASSWORD", "invoices", "include"));
        runtime.start(pipeline("no-replication", "norepl", "NOREPL_PASSWORD", "invoices", "include"));
        runtime.start(pipeline("unknown-table", "cdc", "CDC_DB_PASSWORD", "invocies", "explicit"));

        String wrong = failure("wrong-password");
        assertTrue(wrong.startsWith("pipeline wrong-password: the server rejected cdc@127.0.0.1:" + MariaDb.port() + " (Access denied for user 'cdc'"), wrong);
        assertTrue(wrong.endsWith("check connection.user and connection.password (the password comes from ${env:WRONG_PASSWORD})"), wrong);

        String norepl = failure("no-replication");
        assertTrue(norepl.startsWith("pipeline no-replication: norepl may not read the binlog ("), norepl);
        assertTrue(norepl.endsWith("GRANT REPLICATION SLAVE ON *.* TO 'norepl'"), norepl);

        assertEquals("pipeline unknown-table: table-mapping rule 3 (invoices) explicitly selects " + db + ".invocies, which does not exist"
                + " on cdc@127.0.0.1:" + MariaDb.port() + " (did you mean " + db + ".invoices?); fix the rule or create the table",
                failure("unknown-table"));

        MariaDb.await(() -> runtime.tables("healthy").stream().anyMatch(t -> t.fullLoadEndTime() != null), Duration.ofSeconds(30),
                () -> "the healthy pipeline's (empty) load");
        MariaDb.exec("INSERT INTO " + db + ".invoices VALUES (1)");
        MariaDb.await(() -> runtime.tables("healthy").stream().anyMatch(t -> t.inserts() == 1), Duration.ofSeconds(30),
                () -> "the healthy pipeline delivers, status " + runtime.status("healthy"));
        assertEquals("running", runtime.status("healthy").state());
    }

    @Test
    void aBinlogTheServerNoLongerHasIsAnErrorThatSaysWhatToDo() throws Exception {
        runtime();
        String yaml = """
                apiVersion: changepipe.io/v1
                kind: Pipeline
                metadata: { name: purged }
                spec:
                  source:
                    type: mysql
                    connection: { host: 127.0.0.1, port: %d, user: cdc, password: "${env:CDC_DB_PASSWORD}" }
                    migrationType: cdc
                    start: { binlogFile: mariadb-bin.999999, binlogPosition: 4 }
                    serverId: %d
                  tableMappings:
                    rules:
                      - { rule-type: selection, rule-id: "1", rule-name: all, object-locator: { schema-name: "%s", table-name: "%%" }, rule-action: include }
                  sinks:
                    - { name: stream, type: kinesis, stream: s, region: us-east-1 }
                """.formatted(MariaDb.port(), MariaDb.serverId(), db);
        runtime.start(new PipelineParser(n -> "cdcpass", true).parse("purged.yaml", Path.of("."), yaml).pipelines().get(0));
        String reason = failure("purged");
        assertTrue(reason.startsWith("pipeline purged: the server cannot send the binlog from mariadb-bin.999999:4 ("), reason);
        assertTrue(reason.contains("changes since then are lost to CDC: reload the tables (delete the stored position and run with"
                + " migrationType full-load-and-cdc) or set a new start position"), reason);
    }
}
