package io.changepipe.definition.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.DataSize;
import io.changepipe.definition.MigrationType;
import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.definition.PipelineDef;
import io.changepipe.definition.SinkDef;
import io.changepipe.definition.SourceDef;
import io.changepipe.definition.StartPosition;
import io.changepipe.definition.TableMappingDef;
import io.changepipe.definition.yaml.PipelineParser.FileResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class PipelineParserTest {

    static final String PASSWORD = "s3cr3t-value";
    static final Path BAD = Path.of("src/test/resources/pipelines/bad");
    static final Path GOOD = Path.of("src/test/resources/pipelines/good");

    static String env(String name) {
        return Map.of("CDC_DB_PASSWORD", PASSWORD).get(name);
    }

    final PipelineParser parser = new PipelineParser(PipelineParserTest::env, true);

    /** Each bad file starts with "# expect: ..." lines: exactly the problems it must give, in order. */
    @TestFactory
    Stream<DynamicTest> everyBadFileGivesExactlyItsExpectedProblems() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(BAD)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 30, "the corpus holds at least 30 bad files, has " + files.size());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> expected = Files.readAllLines(f).stream().filter(l -> l.startsWith("# expect: "))
                    .map(l -> l.substring("# expect: ".length())).toList();
            assertFalse(expected.isEmpty(), f + " names its expected problems");
            FileResult r = parser.parseFile(f, f.getFileName().toString());
            assertEquals(expected, r.problems().stream().map(Problem::toString).toList());
            assertTrue(r.pipelines().isEmpty(), "an invalid file yields no pipeline");
        }));
    }

    @Test
    void secretsNeverAppearInProblems() throws IOException {
        List<FileResult> all = parser.parseDirectory(BAD);
        all.stream().flatMap(r -> r.problems().stream()).forEach(p -> assertFalse(p.toString().contains(PASSWORD), p.toString()));
    }

    @Test
    void theSeedPipelineParsesIntoTypedRecords() {
        FileResult r = parser.parseFile(Path.of("pipelines/invoices.yaml"), "invoices.yaml");
        assertEquals(List.of(), r.problems());
        PipelineDef p = r.pipelines().get(0);
        assertEquals("invoices", p.name());
        SourceDef.MySql src = assertInstanceOf(SourceDef.MySql.class, p.source());
        assertEquals(MigrationType.FULL_LOAD_AND_CDC, src.migrationType());
        assertEquals(13306, src.connection().port());
        assertEquals(PASSWORD, src.connection().password().reveal());
        assertEquals("****", src.connection().password().toString());
        assertEquals(new PartitionKeyDef.PrimaryKey(true), p.partitionKey());
        assertEquals(List.of("kinesis", "s3-batch", "s3-csv", "sns"), p.sinks().stream().map(SinkDef::type).toList());
        SinkDef.S3Batch lake = (SinkDef.S3Batch) p.sinks().get(1);
        assertEquals(DataSize.ofMiB(1), lake.bufferSize());
        assertEquals(Duration.ofSeconds(60), lake.bufferInterval());
        SinkDef.Sns alerts = (SinkDef.Sns) p.sinks().get(3);
        assertEquals(Duration.ofHours(1), alerts.rules().get(0).dedupe().orElseThrow().window());
    }

    @Test
    void everyRuleTypeAndOptionParses(@TempDir Path tmp) throws IOException {
        Path secret = tmp.resolve("password");
        Files.writeString(secret, "from-a-file\n");
        String text = Files.readString(GOOD.resolve("everything.yaml")).replace("SECRET_FILE", secret.toString());
        FileResult r = parser.parse("everything.yaml", GOOD, text);
        assertEquals(List.of(), r.problems());
        PipelineDef p = r.pipelines().get(0);
        SourceDef.MySql src = (SourceDef.MySql) p.source();
        assertEquals("from-a-file", src.connection().password().reveal(), "a mounted secret file loses its final newline");
        assertEquals(new StartPosition.BinlogFile("mysql-bin.000042", 1234), src.start());
        assertEquals(12, p.tableMappings().rules().size());
        assertEquals(3, p.tableMappings().rules(TableMappingDef.Selection.class).size());
        TableMappingDef.Selection customers = p.tableMappings().rules(TableMappingDef.Selection.class).get(1);
        assertEquals(2, customers.filters().size());
        assertEquals(2, customers.filters().get(0).conditions().size());
        TableMappingDef.ObjectMapping om = p.tableMappings().rules(TableMappingDef.ObjectMapping.class).get(0);
        assertEquals("customer_id", om.partitionKeyName().orElseThrow());
        SinkDef.Kinesis k = (SinkDef.Kinesis) p.sinks().get(0);
        assertEquals(250, k.batch().maxRecords());
        assertEquals(Duration.ofMillis(100), k.batch().maxDelay());
        assertEquals(DataSize.ofMiB(10), k.maxRecordSize());
    }

    @Test
    void otherSourcesAndAMappingsFileParse() throws IOException {
        List<FileResult> results = parser.parseDirectory(GOOD);
        results.forEach(r -> {
            if (!r.file().equals("everything.yaml")) {
                assertEquals(List.of(), r.problems(), r.file());
            }
        });
        PipelineDef mssql = results.stream().flatMap(r -> r.pipelines().stream()).filter(p -> p.name().equals("mssql-billing")).findFirst().orElseThrow();
        assertEquals(new StartPosition.Lsn("0x0000002A000001F80003"), ((SourceDef.SqlServer) mssql.source()).start());
        assertEquals("dbo", mssql.tableMappings().rules(TableMappingDef.Selection.class).get(0).locator().schemaName());
    }

    @Test
    void withoutResolvingAnUnsetReferenceIsANoteNotAProblem() {
        PipelineParser lenient = new PipelineParser(n -> null, false);
        FileResult r = lenient.parseFile(Path.of("pipelines/invoices.yaml"), "invoices.yaml");
        assertEquals(List.of(), r.problems());
        assertEquals(List.of("invoices.yaml: spec.source.connection.password: not resolved here: ${env:CDC_DB_PASSWORD} "
                + "(environment variable CDC_DB_PASSWORD is not set); it must resolve when the pipeline runs"),
                r.notes().stream().map(Problem::toString).toList());
    }

    @Test
    void pipelineNamesAreUniqueAcrossFiles(@TempDir Path dir) throws IOException {
        String seed = Files.readString(Path.of("pipelines/invoices.yaml"));
        Files.writeString(dir.resolve("a.yaml"), seed);
        Files.writeString(dir.resolve("b.yaml"), seed);
        Files.writeString(dir.resolve(".hidden.yaml"), "not: a pipeline");
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        List<FileResult> results = parser.parseDirectory(dir);
        assertEquals(List.of("a.yaml", "b.yaml"), results.stream().map(FileResult::file).toList());
        assertTrue(results.get(0).valid());
        assertEquals(List.of("b.yaml: metadata.name: pipeline name 'invoices' is already used by a.yaml"),
                results.get(1).problems().stream().map(Problem::toString).toList());
    }

    @Test
    void aFileMayHoldSeveralPipelines() throws IOException {
        String seed = Files.readString(Path.of("pipelines/invoices.yaml"));
        FileResult r = parser.parse("two.yaml", Path.of("."), seed + "\n---\n" + seed.replace("name: invoices", "name: invoices-copy"));
        assertEquals(List.of(), r.problems());
        assertEquals(List.of("invoices", "invoices-copy"), r.pipelines().stream().map(PipelineDef::name).toList());
        FileResult bad = parser.parse("two.yaml", Path.of("."), seed + "\n---\n" + seed.replace("kind: Pipeline", "kind: Job"));
        assertEquals(List.of("two.yaml: document[1].kind: must be Pipeline (was Job)"), bad.problems().stream().map(Problem::toString).toList());
    }
}
