package io.changepipe.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The smallest Kinesis that takes PutRecords: JSON protocol only (run the client with {@code aws.cborEnabled=false}),
 * every record accepted and counted, DescribeStreamSummary always ACTIVE. For benchmarks: it costs next to nothing, so
 * what is measured is the client side.
 */
final class CountingKinesis implements AutoCloseable {

    private static final byte[] KEY = "\"PartitionKey\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ENTRY = "{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136588898\",\"ShardId\":\"shardId-000000000000\"}"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUMMARY = ("{\"StreamDescriptionSummary\":{\"StreamName\":\"bench\",\"StreamARN\":"
            + "\"arn:aws:kinesis:us-east-1:000000000000:stream/bench\",\"StreamStatus\":\"ACTIVE\",\"RetentionPeriodHours\":24,"
            + "\"StreamCreationTimestamp\":1.7E9,\"EnhancedMonitoring\":[],\"OpenShardCount\":4}}").getBytes(StandardCharsets.US_ASCII);

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    /** Milliseconds each PutRecords takes to answer, like a real service's round trip (0: at once). */
    volatile long latencyMillis;
    final AtomicLong records = new AtomicLong();
    final AtomicLong requests = new AtomicLong();

    CountingKinesis() throws IOException {
        // without it, headers and body of an answer wait on the client's delayed ACK: 40 ms a request on loopback
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange x) throws IOException {
        String target = String.valueOf(x.getRequestHeaders().getFirst("X-Amz-Target"));
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        byte[] answer;
        if (target.endsWith(".PutRecords")) {
            if (latencyMillis > 0) {
                try {
                    Thread.sleep(latencyMillis); // the service's round trip, not a synchronisation
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = count(body);
            records.addAndGet(n);
            requests.incrementAndGet();
            answer = putRecordsAnswer(n);
        } else if (target.endsWith(".DescribeStreamSummary")) {
            answer = SUMMARY;
        } else {
            answer = "{}".getBytes(StandardCharsets.US_ASCII);
        }
        x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        x.sendResponseHeaders(200, answer.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(answer);
        }
    }

    private static int count(byte[] body) {
        int n = 0;
        outer:
        for (int i = 0; i <= body.length - KEY.length; i++) {
            for (int j = 0; j < KEY.length; j++) {
                if (body[i + j] != KEY[j]) {
                    continue outer;
                }
            }
            n++;
            i += KEY.length - 1;
        }
        return n;
    }

    private static byte[] putRecordsAnswer(int n) {
        byte[] head = "{\"FailedRecordCount\":0,\"Records\":[".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + n * (ENTRY.length + 1) + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            System.arraycopy(ENTRY, 0, out, at, ENTRY.length);
            at += ENTRY.length;
        }
        out[at++] = ']';
        out[at++] = '}';
        return java.util.Arrays.copyOf(out, at);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
