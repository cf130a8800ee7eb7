package io.changepipe.source.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.changepipe.definition.MessageDef;
import io.changepipe.definition.MessageFormat;
import io.changepipe.definition.PipelineDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.format.DmsJsonEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every common column type, data-driven from {@code mysql/types.txt}: a row inserted before the full load and the same
 * row inserted during CDC give equal Java values, and each value is written as the fixture says.
 */
class MySqlTypesIT {

    record Case(String type, String literal, String json) {
    }

    static String db;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void database() throws Exception {
        db = MariaDb.freshDatabase("cp_types");
    }

    @AfterAll
    static void dropDatabase() {
        MariaDb.drop(db);
    }

    static List<Case> cases() throws Exception {
        List<Case> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/mysql/types.txt"), StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] p = line.split("\\s+\\|\\s+", 3);
            out.add(new Case(p[0].trim(), p[1].trim(), p[2].trim()));
        }
        return out;
    }

    @Test
    void fullLoadAndBinlogGiveTheSameValuesAndTheFixturesJson() throws Exception {
        List<Case> cases = cases();
        String columns = IntStream.range(0, cases.size()).mapToObj(i -> "c" + i + " " + cases.get(i).type()).collect(Collectors.joining(", "));
        String values = cases.stream().map(Case::literal).collect(Collectors.joining(", "));
        String nulls = cases.stream().map(c -> "NULL").collect(Collectors.joining(", "));
        MariaDb.exec("CREATE TABLE " + db + ".types (id INT PRIMARY KEY, " + columns + ") DEFAULT CHARSET = utf8mb4");
        insert("INSERT INTO " + db + ".types VALUES (1, " + values + ")");
        PipelineDef p = MariaDb.pipeline("types-it", db, "full-load-and-cdc", null, null);
        Collector c = Collector.run(MySqlSourceIT.source(p), Optional.empty());
        try {
            MySqlSourceIT.await(c, 1);
            insert("INSERT INTO " + db + ".types VALUES (2, " + values + ")", "INSERT INTO " + db + ".types VALUES (3, " + nulls + ")",
                    "UPDATE " + db + ".types SET id = 4 WHERE id = 2");
            MySqlSourceIT.await(c, 4);
        } finally {
            c.stop();
        }
        List<ChangeEvent> e = c.events();
        assertEquals(List.of(Op.LOAD, Op.INSERT, Op.INSERT, Op.UPDATE), e.stream().map(ChangeEvent::op).toList());
        Row loaded = e.get(0).after();
        Row streamed = e.get(1).after();
        List<String> problems = new ArrayList<>();
        JsonNode loadedJson = data(e.get(0));
        JsonNode streamedJson = data(e.get(1));
        JsonNode nullJson = data(e.get(2));
        for (int i = 0; i < cases.size(); i++) {
            Case k = cases.get(i);
            String col = "c" + i;
            Object a = loaded.get(col);
            Object b = streamed.get(col);
            if (!Arrays.deepEquals(new Object[] {a}, new Object[] {b})) {
                problems.add(k.type() + " " + k.literal() + ": full load " + show(a) + " but binlog " + show(b));
            }
            String expected = JSON.readTree(k.json()).toString();
            if (!expected.equals(loadedJson.get(col).toString())) {
                problems.add(k.type() + " " + k.literal() + ": full load writes " + loadedJson.get(col) + ", expected " + expected);
            }
            if (!expected.equals(streamedJson.get(col).toString())) {
                problems.add(k.type() + " " + k.literal() + ": binlog writes " + streamedJson.get(col) + ", expected " + expected);
            }
            if (!nullJson.get(col).isNull()) {
                problems.add(k.type() + ": NULL written as " + nullJson.get(col));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(Arrays.deepEquals(values(e.get(1).after().with("id", 4L)), values(e.get(3).after())), "update after image");
        assertTrue(Arrays.deepEquals(values(e.get(1).after()), values(e.get(3).before())), "update before image");
    }

    static Object[] values(Row r) {
        return IntStream.range(0, r.size()).mapToObj(r::value).toArray();
    }

    static String show(Object v) {
        return v == null ? "null" : (v instanceof byte[] b ? Arrays.toString(b) : v.toString()) + " (" + v.getClass().getSimpleName() + ")";
    }

    static JsonNode data(ChangeEvent e) throws Exception {
        MessageDef m = new MessageDef(MessageFormat.JSON_UNFORMATTED, false, false, false, false, true, new MessageDef.BeforeImage(false, "bi", null));
        return JSON.readTree(new DmsJsonEncoder(m, Clock.systemUTC()).encode(e, "k", "primary-key")).get("data");
    }

    static void insert(String... sql) throws Exception {
        try (Connection c = MariaDb.app(); Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+02:00'");
            st.execute("SET sql_mode = ''");
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

}
