package io.changepipe.crash;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.crash.SinkContents.Observation;
import io.changepipe.crash.Workload.Change;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The real process, its four sinks at their default buffering, killed with SIGKILL again and again while a writer
 * changes three tables (unicode, DECIMAL, NULLs, an ALTER TABLE half way): the first kill during the full load, after
 * the small tables' loads and before the big one's ends (so the restart reloads at a new snapshot what was not
 * delivered), the second within seconds of the full load finishing; then every sink is read back and judged against
 * every committed change (see {@link Verdict}). Rounds: {@code -Dcrash.rounds} (default 3; bin/crash-test --long runs
 * 20), seed: {@code -Dcrash.seed}. Prints one {@code sink=<name> lost=<n> dup=<n> ...} line per sink.
 */
class ProcessCrashIT {

    static final int ROUNDS = Integer.getInteger("crash.rounds", 3);
    static final long SEED = Long.getLong("crash.seed", System.currentTimeMillis());
    static final double TX_PER_SECOND = Double.parseDouble(System.getProperty("crash.txPerSecond", "15"));
    static final String PIPELINE = "crash";
    static final String NULL = "\\N";
    /**
     * The rounds after the first whose run, when it loads, is killed within seconds of its full load finishing reading,
     * often before its delivery ends (a reload follows); a later run that loads is killed only after its load is
     * delivered (a table reloaded whole after each kill before its delivery ends would be reloaded forever). A long run
     * has one such round more, so that up to three kills follow a full load by seconds.
     */
    static final int NEAR_LOAD_ROUNDS = ROUNDS >= 10 ? 3 : 2;

    final String run = "pcrash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String name = run.replace('_', '-');
    final Random random = new Random(SEED);
    final List<String> kills = new ArrayList<>();
    private int nearLoadKills;
    private Workload workload;
    private AppProcess current;
    private KinesisClient kinesis;
    private Runnable dropTopic = () -> { };

    /**
     * A test that failed half way leaves neither a service nor the writer running; the stream, topic and queue go in any
     * case (kinesis-mock slows down for every stream it holds records of); the bucket stays for a look, and the database
     * when the test stopped before its verdict.
     */
    @AfterEach
    void cleanUp() throws InterruptedException {
        if (current != null && current.alive()) {
            current.kill();
        }
        if (workload != null) {
            workload.stop = true;
        }
        if (kinesis != null) {
            try {
                kinesis.deleteStream(b -> b.streamName(name).enforceConsumerDeletion(true));
            } catch (RuntimeException e) {
                say("could not delete stream %s: %s", name, e);
            }
        }
        try {
            dropTopic.run();
        } catch (RuntimeException e) {
            say("could not delete topic or queue %s: %s", name, e);
        }
    }

    @Test
    void killedAgainAndAgainEverySinkStillHasEveryChange() throws Exception {
        Path work = Path.of("target", "crash-test", run).toAbsolutePath();
        Path pipelines = Files.createDirectories(work.resolve("pipelines"));
        Path state = Files.createDirectories(work.resolve("state"));
        kinesis = KinesisClient.builder().endpointOverride(endpoint("CHANGEPIPE_KINESIS_PORT", 14568)).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        S3Client s3 = S3Client.builder().endpointOverride(endpoint("CHANGEPIPE_S3_PORT", 14573)).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        SnsClient sns = SnsClient.builder().endpointOverride(endpoint("CHANGEPIPE_SNS_PORT", 14566)).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        SqsClient sqs = SqsClient.builder().endpointOverride(endpoint("CHANGEPIPE_SNS_PORT", 14566)).region(Region.US_EAST_1)
                .credentialsProvider(credentials()).httpClient(UrlConnectionHttpClient.create()).build();

        workload = new Workload(run, SEED, TX_PER_SECOND);
        workload.create();
        s3.createBucket(b -> b.bucket(name));
        String topicArn = sns.createTopic(b -> b.name(name)).topicArn();
        String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN)).attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(Map.of("RawMessageDelivery", "true")));
        dropTopic = () -> {
            sns.deleteTopic(b -> b.topicArn(topicArn));
            sqs.deleteQueue(b -> b.queueUrl(queueUrl));
        };
        Files.writeString(pipelines.resolve(PIPELINE + ".yaml"), pipeline(topicArn), StandardCharsets.UTF_8);

        long t0 = System.nanoTime();
        say("crash test %s: %d kills, seed %d, writer %.0f tx/s, %d rows to load, files in %s", run, ROUNDS, SEED, TX_PER_SECOND,
                workload.committed.size(), work);
        workload.start();
        for (int round = 1; round <= ROUNDS; round++) {
            if (round == ROUNDS / 2 + 1) {
                workload.alterRequested = true;
            }
            boolean loads = !stored(state).startsWith("binlog ");
            AppProcess app = current = AppProcess.start(pipelines, state, work.resolve("round-" + round + ".log"));
            String when = killWhen(app, round, loads);
            kills.add("round %d: %s; stored %s".formatted(round, when, brief(stored(state))));
            say("round %d: pid %d, %s; stored position then: %s", round, app.pid(), when, stored(state));
        }
        workload.stopAndJoin();
        String[] master = markerAndMasterPosition(workload);

        AppProcess last = current = AppProcess.start(pipelines, state, work.resolve("final.log"));
        boolean converged = await(() -> reached(stored(state), master) || !last.alive(), Duration.ofSeconds(240));
        String status = last.get("/pipelines/" + PIPELINE);
        double caughtUp = last.secondsSinceStart();
        // the S3 sinks buffer for their default intervals (s3-batch 300 s, s3-csv 60 s): the clean stop uploads what they hold
        int exit = last.stop();
        say("final run: %s after %.1f s (stored %s, binlog at %s:%s), clean stop in %.1f s, exit %d, status %s",
                converged && clean(exit) ? "caught up" : "DID NOT CATCH UP", caughtUp, stored(state), master[0], master[1],
                last.secondsSinceStart() - caughtUp, exit, status);

        List<Change> committed = List.copyOf(workload.committed);
        List<Observation> stream = SinkContents.kinesis(kinesis, name, run);
        List<Observation> batches = SinkContents.s3Batch(s3, name, "batch/", run);
        List<Observation> csv = SinkContents.s3Csv(s3, name, "csv", run, columns(workload), NULL);
        List<Observation> alerts = SinkContents.sns(sqs, queueUrl);
        Verdict.Loads loads = Verdict.loads(Stream.concat(stream.stream(), batches.stream()).toList(), point -> {
            try {
                return workload.cutAt(point.substring(0, point.lastIndexOf(':')), Long.parseLong(point.substring(point.lastIndexOf(':') + 1)));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("placing snapshot " + point, e);
            }
        });

        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(Verdict.judge("stream(kinesis)", stream, committed, loads, c -> true, true, false, true));
        verdicts.add(Verdict.judge("lake(s3-batch)", batches, committed, loads, c -> true, true, true, true));
        Verdict csvVerdict = Verdict.judge("dms-csv(s3-csv)", csv, committed, loads, c -> true, true, false, true);
        Verdict.compareReplay(csvVerdict, csv, workload.tableContents());
        verdicts.add(csvVerdict);
        verdicts.add(Verdict.judge("alerts(sns)", alerts, committed, loads, Workload::alerts, false, false, false));

        StringBuilder summary = new StringBuilder();
        summary.append("crash test %s: %d kills, %d committed changes in %d transactions, %d full-load snapshot(s) seen (attempts %s), seed %d, %.0f s%n"
                .formatted(run, ROUNDS, committed.stream().filter(c -> c.seq() > 0).count(),
                        committed.stream().mapToLong(Change::seq).max().orElse(0), loads.all().size(),
                        loads.all().stream().map(s -> String.valueOf(s.attempt())).collect(java.util.stream.Collectors.joining(",")), SEED,
                        (System.nanoTime() - t0) / 1e9));
        loads.all().forEach(s -> summary.append("  snapshot %s (%s, attempt %d): cut after commit %d, %d rows of %s%s%n".formatted(s.id(),
                loads.role(s), s.attempt(), s.cut(), s.rows(), s.tables(), loads.lastByTable().containsValue(s)
                        ? "; last load of " + loads.lastByTable().entrySet().stream().filter(e -> e.getValue() == s).map(Map.Entry::getKey).toList()
                        : "")));
        kills.forEach(k -> summary.append("  ").append(k).append('\n'));
        summary.append("  kills within 4 s of a full load finishing (read or delivered): %d of %d%n".formatted(nearLoadKills, ROUNDS));
        loads.faults().forEach(f -> summary.append("  LOAD FAULT: ").append(f).append('\n'));
        List<String> errors = SinkContents.keys(s3, name, "errors/");
        summary.append("  s3-batch error objects: %d; dead letters: %s%n".formatted(errors.size(), deadLetters(state)));
        for (Verdict v : verdicts) {
            summary.append(v.line()).append('\n');
            v.examples.forEach(e -> summary.append("    ").append(e).append('\n'));
        }
        Files.writeString(work.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        System.out.print(summary);

        try (Connection c = Workload.connect("app", "apppass"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE " + run);
        }
        assertTrue(converged && clean(exit), "the last run did not catch up with the binlog; see " + work.resolve("final.log"));
        assertTrue(loads.faults().isEmpty(), "a load started over without its start stored:\n" + summary);
        assertTrue(verdicts.stream().noneMatch(Verdict::failed), "sinks lost or mangled changes:\n" + summary);
    }

    /** A clean stop: exit 0, or 143 when the JVM ran its shutdown on SIGTERM. */
    private static boolean clean(int exit) {
        return exit == 0 || exit == 143;
    }

    static final Pattern TABLE_LOADED = Pattern.compile("full load of \\S+\\.(\\w+) done");
    static final Pattern LOAD_STARTED = Pattern.compile("full load of \\d+ tables");

    /**
     * Waits for the moment to kill and kills; says when it was. Round 1 (a full load from nothing) is killed during the
     * load, the small tables loading first and the big one last (load-order): three times in four 0 to 1 s after the
     * stored position first lists a delivered table (so the restart reloads the others at a new snapshot), else 0.05 to
     * 1.5 s after the log says the first table's load is done (often before anything is stored: a fresh load). "During"
     * means before the stored position leaves the load: the source reads a table smaller than the in-flight window
     * (20,000 changes) at once and logs "full load finished" while its rows are still being delivered. A later run that
     * loads is killed 0.2 to 4 s after its full load finished reading (rounds up to {@link #NEAR_LOAD_ROUNDS}, often
     * before the rows are delivered) or after it was delivered (later rounds: the stored position left the load). Any
     * other run, one resuming from the binlog or one whose stored load has every table delivered (it reads no load), is
     * killed 0.3 to 8 s after it starts reading the binlog, or (one time in six) at a random moment of its startup.
     */
    private String killWhen(AppProcess app, int round, boolean loads) throws Exception {
        boolean duringStartup = random.nextInt(6) == 0;
        double at = duringStartup ? 0.5 + random.nextDouble() * 4 : 0.3 + random.nextDouble() * 7.7;
        double streaming = -1;
        boolean midLoad = round == 1;
        boolean whenStored = random.nextInt(4) != 0;
        double afterTable = whenStored ? random.nextDouble() : 0.05 + random.nextDouble() * 1.45;
        double afterLoad = 0.2 + random.nextDouble() * 3.8;
        boolean fromRead = round <= NEAR_LOAD_ROUNDS;
        double loadFinished = -1;
        double tableLoaded = -1;
        double deliveredAt = -1;
        while (true) {
            if (!app.alive()) {
                throw new AssertionError("the service exited by itself in round " + round + "; see " + app.log);
            }
            String log = app.logText();
            double now = app.secondsSinceStart();
            if (loadFinished < 0 && log.contains("full load finished")) {
                loadFinished = now;
            }
            if (tableLoaded < 0 && (whenStored ? stored(app.state).contains(" done ") : TABLE_LOADED.matcher(log).find())) {
                tableLoaded = now;
            }
            if (streaming < 0 && log.contains("reading the binlog from")) {
                streaming = now;
            }
            boolean loading = loads && streaming < 0 || LOAD_STARTED.matcher(log).find();
            boolean delivered = stored(app.state).startsWith("binlog ");
            if (midLoad && (tableLoaded >= 0 && now >= tableLoaded + afterTable || delivered)) {
                app.kill();
                List<String> tables = new ArrayList<>();
                for (Matcher m = TABLE_LOADED.matcher(app.logText()); m.find(); ) {
                    tables.add(m.group(1));
                }
                return "killed %s, %s the %s (%.1f s after start; log: loads read %s%s)".formatted(
                        delivered ? "AFTER THE FULL LOAD WAS DELIVERED" : "during the full load",
                        tableLoaded < 0 ? "before" : "%.2f s after".formatted(now - tableLoaded),
                        whenStored ? "stored position listed a delivered table" : "log said a table's load was done", now, tables,
                        loadFinished >= 0 ? ", full load finished (read) %.1f s before".formatted(now - loadFinished) : "");
            }
            if (deliveredAt < 0 && delivered) {
                deliveredAt = now;
            }
            // after NEAR_LOAD_ROUNDS, measured from the load's delivery: a table reloaded whole after each kill that comes
            // before its delivery ends would be reloaded forever (kinesis-mock delivers ~1,000 rows/s); a run that read no
            // load (resuming from the binlog, or every table delivered) is timed by the binlog
            double from = !loads || loadFinished < 0 ? -1 : fromRead ? loadFinished : deliveredAt;
            if (!midLoad && from >= 0 && now >= from + afterLoad) {
                app.kill();
                nearLoadKills++;
                return "killed %.1f s after the full load %s (%.1f s after start%s)".formatted(now - from, fromRead ? "finished" : "was delivered",
                        now, fromRead ? delivered ? ", delivered" : ", before it was delivered" : "");
            }
            if (loadFinished < 0 && loading && now > 300) {
                throw new AssertionError("the full load did not finish in 300 s; see " + app.log);
            }
            if (loadFinished >= 0 && !fromRead && !delivered && now > loadFinished + 300) {
                throw new AssertionError("the full load was not delivered in 300 s after it finished reading; see " + app.log);
            }
            if (!loading && duringStartup && now >= at) {
                app.kill();
                return "killed %.1f s after start, %s".formatted(now, streaming < 0 ? "during startup" : "reading the binlog");
            }
            if (!loading && !duringStartup && streaming >= 0 && now >= streaming + at) {
                app.kill();
                return "killed %.1f s after it started reading the binlog (%.1f s after start)".formatted(now - streaming, now);
            }
            if (!loading && now > 300) {
                throw new AssertionError("the service did not start reading the binlog in 300 s; see " + app.log);
            }
            Thread.sleep(20);
        }
    }

    /** Inserts the end marker and returns the binlog position after it ({file, position}). */
    private static String[] markerAndMasterPosition(Workload workload) throws Exception {
        try (Connection c = Workload.connect("app", "apppass"); Statement st = c.createStatement()) {
            st.execute("INSERT INTO " + workload.db + ".marker VALUES (1)");
        }
        try (Connection c = Workload.connect("cdc", "cdcpass"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SHOW MASTER STATUS")) {
            assertTrue(rs.next(), "SHOW MASTER STATUS");
            return new String[] {rs.getString(1), rs.getString(2)};
        }
    }

    /** A stored position without the first snapshot's point and the schema name, for the summary. */
    private String brief(String stored) {
        return stored.replaceAll(" resume \\S+ \\S+", "").replace("done " + run + " ", "done ");
    }

    private static String stored(Path state) {
        try {
            return String.join(" ", Files.readAllLines(state.resolve("positions").resolve(PIPELINE + ".position")));
        } catch (java.io.IOException e) {
            return "none";
        }
    }

    /** Whether the stored position ("binlog file:pos:row[:gtids]") is at or past {file, pos}. */
    private static boolean reached(String stored, String[] master) {
        if (!stored.startsWith("binlog ")) {
            return false;
        }
        String[] p = stored.substring(7).split(":");
        int byFile = p[0].compareTo(master[0]);
        return byFile > 0 || byFile == 0 && Long.parseLong(p[1]) >= Long.parseLong(master[1]);
    }

    private static String deadLetters(Path state) throws java.io.IOException {
        Path dir = state.resolve("dead-letters").resolve(PIPELINE);
        if (!Files.isDirectory(dir)) {
            return "none";
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                counts.put(f.getFileName().toString(), (long) Files.readAllLines(f).size());
            }
        }
        return counts.toString();
    }

    /** Each table's columns in order, as the CSV files write them. */
    private static Map<String, List<String>> columns(Workload workload) throws Exception {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try (Connection c = Workload.connect("app", "apppass"); Statement st = c.createStatement()) {
            for (String table : workload.maxId.keySet()) {
                List<String> cols = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" + workload.db
                        + "' AND TABLE_NAME = '" + table + "' ORDER BY ORDINAL_POSITION")) {
                    while (rs.next()) {
                        cols.add(rs.getString(1));
                    }
                }
                out.put(table, cols);
            }
        }
        return out;
    }

    private String pipeline(String topicArn) {
        return """
                apiVersion: changepipe.io/v1
                kind: Pipeline
                metadata:
                  name: %1$s
                spec:
                  source:
                    type: mysql
                    connection:
                      host: 127.0.0.1
                      port: %2$d
                      user: cdc
                      password: "${env:CDC_DB_PASSWORD}"
                      database: %3$s
                    migrationType: full-load-and-cdc
                    serverId: %4$d
                    heartbeatInterval: 1s
                    parallelLoad: 1
                  tableMappings:
                    rules:
                      - rule-type: selection
                        rule-id: "1"
                        rule-name: all
                        object-locator: { schema-name: %3$s, table-name: "%%" }
                        rule-action: include
                      # the small tables first (higher loads first), the big one (items) last
                      - { rule-type: selection, rule-id: "2", rule-name: accounts, object-locator: { schema-name: %3$s, table-name: accounts }, rule-action: include, load-order: 3 }
                      - { rule-type: selection, rule-id: "3", rule-name: payments, object-locator: { schema-name: %3$s, table-name: payments }, rule-action: include, load-order: 3 }
                      - { rule-type: selection, rule-id: "4", rule-name: marker, object-locator: { schema-name: %3$s, table-name: marker }, rule-action: include, load-order: 2 }
                  partitionKey: { type: primary-key, includeSchemaTable: true }
                  message:
                    format: json-unformatted
                    includeTransactionDetails: true
                    includeNullAndEmpty: true
                  sinks:
                    - name: stream
                      type: kinesis
                      stream: %5$s
                      region: us-east-1
                      createIfMissing: true
                      shards: 2
                    - name: lake
                      type: s3-batch
                      bucket: %5$s
                      prefix: "batch/!{timestamp:yyyy/MM/dd/HH}/"
                      errorPrefix: "errors/!{firehose:error-output-type}/"
                      compression: gzip
                    - name: dms-csv
                      type: s3-csv
                      bucket: %5$s
                      folder: csv
                      includeOpForFullLoad: true
                      csvNullValue: '%6$s'
                    - name: alerts
                      type: sns
                      topicArn: %7$s
                      rules:
                        - name: big-payment
                          tables: %3$s.payments
                          when: "amount >= 500"
                          message: "${$table}|${id}|${v}|${$operation}"
                """.formatted(PIPELINE, Workload.port(), run, 2_000_000_000L + random.nextInt(2_000_000_000), name, NULL, topicArn);
    }

    private static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(200);
        }
        return true;
    }

    private static URI endpoint(String portVariable, int port) {
        String v = System.getenv(portVariable);
        return URI.create("http://127.0.0.1:" + (v == null || v.isBlank() ? port : Integer.parseInt(v)));
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
