package io.changepipe.crash;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/** Reads what each sink holds and turns it into {@link Observation}s, in the order a consumer would read them. */
final class SinkContents {

    /**
     * One change as a sink shows it. {@code group} is where its order is defined (a shard, an S3 object, a CSV replay);
     * {@code snapshot} the full-load snapshot of a load row; {@code row} its values (null when the sink has none).
     */
    record Observation(Workload.Identity id, boolean load, String snapshot, String group, Map<String, String> row) {
    }

    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SinkContents() {
    }

    /** Every record of every shard from TRIM_HORIZON; each shard is one order group (a key lives in one shard). */
    static List<Observation> kinesis(KinesisClient kinesis, String stream, String db) {
        List<Observation> out = new ArrayList<>();
        for (Shard shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(it).limit(10_000));
                for (Record rec : r.records()) {
                    dmsJson(rec.data().asUtf8String(), db, "shard " + shard.shardId(), out);
                }
                if (r.records().isEmpty() && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0)) {
                    break;
                }
                iterator = r.nextShardIterator();
            }
        }
        return out;
    }

    /** Every object under {@code prefix}, gunzipped, one DMS JSON record a line; each object is one order group. */
    static List<Observation> s3Batch(S3Client s3, String bucket, String prefix, String db) {
        List<Observation> out = new ArrayList<>();
        for (String key : keys(s3, bucket, prefix)) {
            byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
            String text = key.endsWith(".gz") ? gunzip(bytes) : new String(bytes, StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    dmsJson(line, db, "object " + key, out);
                }
            }
        }
        return out;
    }

    static List<String> keys(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream().map(S3Object::key).sorted().toList();
    }

    private static void dmsJson(String text, String db, String group, List<Observation> out) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON in " + group + ": " + text, e);
        }
        JsonNode meta = node.path("metadata");
        if (!meta.path("record-type").asText().equals("data") || !meta.path("schema-name").asText().equals(db)
                || meta.path("table-name").asText().equals("marker")) {
            return;
        }
        String op = meta.path("operation").asText();
        JsonNode data = node.path("data");
        Map<String, String> row = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> f = data.fields(); f.hasNext(); ) {
            Map.Entry<String, JsonNode> e = f.next();
            JsonNode v = e.getValue();
            row.put(e.getKey(), v.isNull() ? null : Workload.norm(e.getKey(), v.isNumber() ? v.decimalValue() : v.asText()));
        }
        String key = meta.path("table-name").asText() + ":" + data.path("id").asLong();
        String position = meta.path("stream-position").asText();
        boolean load = op.equals("load");
        out.add(new Observation(new Workload.Identity(key, op.equals("delete"), data.path("v").asLong()), load,
                load ? position.substring(0, position.lastIndexOf('#')) : null, group, row));
    }

    /**
     * The DMS CSV files of each table replayed as a consumer would: LOAD files by name, then change files by name,
     * each line I/U/D. Columns are positional, in {@code columns}' order; missing trailing ones are null.
     */
    static List<Observation> s3Csv(S3Client s3, String bucket, String folder, String db, Map<String, List<String>> columns,
            String nullValue) {
        List<Observation> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> table : columns.entrySet()) {
            String dir = folder + "/" + db + "/" + table.getKey() + "/";
            List<String> files = new ArrayList<>(keys(s3, bucket, dir));
            files.sort(Comparator.comparing((String k) -> !k.substring(dir.length()).startsWith("LOAD")).thenComparing(k -> k));
            for (String file : files) {
                byte[] bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(file)).asByteArray();
                String text = file.endsWith(".gz") ? gunzip(bytes) : new String(bytes, StandardCharsets.UTF_8);
                boolean load = file.substring(dir.length()).startsWith("LOAD");
                try {
                    for (CSVRecord r : CSVFormat.RFC4180.parse(new StringReader(text))) {
                        List<String> cols = table.getValue();
                        if (r.size() - 1 > cols.size()) {
                            throw new AssertionError(file + " line " + r.getRecordNumber() + " has " + (r.size() - 1) + " columns, the table "
                                    + cols.size());
                        }
                        Map<String, String> row = new TreeMap<>();
                        for (int i = 0; i < cols.size(); i++) {
                            String v = i + 1 < r.size() ? r.get(i + 1) : nullValue;
                            row.put(cols.get(i), v.equals(nullValue) ? null : Workload.norm(cols.get(i), v));
                        }
                        String op = r.get(0);
                        if (!List.of("I", "U", "D").contains(op)) {
                            throw new AssertionError("operation column '" + op + "' in " + file);
                        }
                        out.add(new Observation(new Workload.Identity(table.getKey() + ":" + row.get("id"), op.equals("D"),
                                Long.parseLong(row.get("v"))), load, null, "csv replay", row));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    /** Every alert on the SQS queue subscribed to the topic (raw delivery); the message is {@code table|id|v|operation}. */
    static List<Observation> sns(SqsClient sqs, String queueUrl) {
        List<Observation> out = new ArrayList<>();
        int empty = 0;
        while (empty < 3) {
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1)
                    .visibilityTimeout(600)).messages();
            empty = got.isEmpty() ? empty + 1 : 0;
            for (Message m : got) {
                String[] p = m.body().split("\\|");
                if (p.length != 4) {
                    throw new AssertionError("alert not shaped table|id|v|operation: " + m.body());
                }
                out.add(new Observation(new Workload.Identity(p[0] + ":" + p[1], p[3].equals("delete"), Long.parseLong(p[2])),
                        p[3].equals("load"), null, "queue", null));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
        return out;
    }

    private static String gunzip(byte[] bytes) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
