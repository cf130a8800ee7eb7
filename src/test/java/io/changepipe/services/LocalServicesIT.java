package io.changepipe.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The app's own AWS clients (Quarkiverse S3 and SNS, our Kinesis producer) and a JDBC connection as the CDC user,
 * each against the real local service started by bin/services (Maven runs {@code bin/services up} before ITs).
 * A missing service fails these tests; nothing is skipped.
 */
@QuarkusTest
class LocalServicesIT {

    @Inject
    KinesisClient kinesis;

    @Inject
    S3Client s3;

    @Inject
    SnsClient sns;

    static int port(String name, int dflt) {
        String v = System.getenv(name);
        return v == null ? dflt : Integer.parseInt(v);
    }

    @Test
    void mariadbServesARowBinlogToTheCdcUser() throws Exception {
        String url = "jdbc:mysql://127.0.0.1:" + port("CHANGEPIPE_MYSQL_PORT", 13306) + "/?user=cdc&password=cdcpass";
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            ResultSet rs = st.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image");
            assertTrue(rs.next());
            assertEquals(List.of("1", "ROW", "FULL"), List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
            rs = st.executeQuery("SHOW MASTER STATUS");
            assertTrue(rs.next(), "the binlog is on and the cdc user may read its position");
            assertTrue(rs.getString(1).startsWith("mariadb-bin."), rs.getString(1));
            rs = st.executeQuery("SHOW GRANTS");
            StringBuilder grants = new StringBuilder();
            while (rs.next()) {
                grants.append(rs.getString(1));
            }
            assertTrue(grants.toString().contains("REPLICATION SLAVE"), grants.toString());
        }
    }

    @Test
    void kinesisTakesARecordAndGivesItBack() {
        String stream = "it-" + UUID.randomUUID().toString().substring(0, 8);
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(stream));
        PutRecordResponse put = kinesis.putRecord(b -> b.streamName(stream).partitionKey("invoices.1")
                .data(SdkBytes.fromString("{\"invoice_id\":1}", StandardCharsets.UTF_8)));
        String iterator = kinesis.getShardIterator(b -> b.streamName(stream).shardId(put.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = kinesis.getRecords(b -> b.shardIterator(iterator)).records();
        assertEquals(1, records.size());
        assertEquals("{\"invoice_id\":1}", records.get(0).data().asUtf8String());
        assertEquals(put.sequenceNumber(), records.get(0).sequenceNumber());
        kinesis.deleteStream(b -> b.streamName(stream));
    }

    @Test
    void s3StoresAnObjectUnderAPrefix() {
        String bucket = "it-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putObject(b -> b.bucket(bucket).key("cdc/2026/11/21/13/part-1.json"), RequestBody.fromString("{\"a\":1}\n"));
        assertEquals("{\"a\":1}\n", s3.getObjectAsBytes(b -> b.bucket(bucket).key("cdc/2026/11/21/13/part-1.json")).asUtf8String());
        assertEquals(List.of("cdc/2026/11/21/13/part-1.json"),
                s3.listObjectsV2(b -> b.bucket(bucket).prefix("cdc/")).contents().stream().map(o -> o.key()).toList());
    }

    @Test
    void snsDeliversToASubscribedQueue() {
        int port = port("CHANGEPIPE_SNS_PORT", 14566);
        try (SqsClient sqs = SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
            String topicArn = sns.createTopic(b -> b.name(name)).topicArn();
            String queueUrl = sqs.createQueue(b -> b.queueName(name)).queueUrl();
            String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNamesWithStrings("QueueArn"))
                    .attributesAsStrings().get("QueueArn");
            sns.subscribe(b -> b.topicArn(topicArn).protocol("sqs").endpoint(queueArn).attributes(java.util.Map.of("RawMessageDelivery", "true")));
            sns.publish(b -> b.topicArn(topicArn).subject("High usage").message("Customer 1235442 used 50 kWh"));
            List<Message> got = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5).maxNumberOfMessages(10)).messages();
            assertEquals(List.of("Customer 1235442 used 50 kWh"), got.stream().map(Message::body).toList());
        }
    }
}
