package io.changepipe.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.changepipe.sink.kinesis.StreamReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * {@code tail <stream>}: prints a stream's records, each record's data as one line of JSON (as the seeds' Lambda
 * consumer did after base64-decoding), every shard; stops when caught up unless {@code --follow}.
 */
public final class Tail {

    static final String USAGE = """
            usage: changepipe tail <stream> [--from trim-horizon|latest|timestamp:<ISO-8601>] [--shard <id>]
                                   [--pretty] [--meta] [--limit N] [--follow]
            """;
    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<KinesisClient> client;

    public Tail(PrintStream out, PrintStream err, Supplier<KinesisClient> client) {
        this.out = out;
        this.err = err;
        this.client = client;
    }

    public int run(String... args) {
        String stream = null;
        StreamReader.StartAt from = StreamReader.StartAt.TRIM_HORIZON;
        Optional<String> shard = Optional.empty();
        boolean pretty = false;
        boolean meta = false;
        boolean follow = false;
        long limit = Long.MAX_VALUE;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--from" -> from = StreamReader.StartAt.parse(value(args, ++i, "--from"));
                    case "--shard" -> shard = Optional.of(value(args, ++i, "--shard"));
                    case "--limit" -> limit = limit(value(args, ++i, "--limit"));
                    case "--pretty" -> pretty = true;
                    case "--meta" -> meta = true;
                    case "--follow", "-f" -> follow = true;
                    default -> {
                        if (args[i].startsWith("-") || stream != null) {
                            throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                        }
                        stream = args[i];
                    }
                }
            }
            if (stream == null) {
                throw new IllegalArgumentException("name a stream (name or ARN)");
            }
        } catch (IllegalArgumentException e) {
            err.print("tail: " + e.getMessage() + "\n" + USAGE);
            return 2;
        }
        boolean p = pretty;
        boolean m = meta;
        try {
            new StreamReader(client.get(), stream, Duration.ofMillis(250)).read(from, shard, limit, follow, r -> {
                out.println(m ? withMeta(r, p) : json(r.data(), p));
                out.flush();
            });
            return 0;
        } catch (ResourceNotFoundException e) {
            err.println("tail: stream " + stream + " does not exist (" + e.awsErrorDetails().errorMessage() + ")");
        } catch (KinesisException e) {
            err.println("tail: " + e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage());
        } catch (SdkClientException e) {
            err.println(e.getMessage().startsWith("Unable to load region")
                    ? "tail: no AWS region: set AWS_REGION or changepipe.kinesis.region (QUARKUS_PROFILE=local uses the local emulator)"
                    : "tail: Kinesis did not answer: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            err.println("tail: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 1;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long limit(String text) {
        try {
            long n = Long.parseLong(text);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("--limit wants a positive number (was " + text + ")");
    }

    /** The data as JSON (numbers kept exactly as written), one line unless pretty; data that is not JSON as a JSON string. */
    static String json(byte[] data, boolean pretty) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            writeData(g, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The record's shard, sequence number, key and arrival around its data. */
    static String withMeta(StreamReader.Received r, boolean pretty) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            if (pretty) {
                g.useDefaultPrettyPrinter();
            }
            g.writeStartObject();
            g.writeStringField("shardId", r.shardId());
            g.writeStringField("sequenceNumber", r.sequenceNumber());
            g.writeStringField("partitionKey", r.partitionKey());
            g.writeStringField("arrival", String.valueOf(r.arrival()));
            g.writeFieldName("data");
            writeData(g, r.data());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeData(JsonGenerator g, byte[] data) throws IOException {
        if (!isJson(data)) {
            g.writeString(new String(data, StandardCharsets.UTF_8));
            return;
        }
        try (JsonParser p = JSON.createParser(data)) {
            p.nextToken();
            g.copyCurrentStructureExact(p);
        }
    }

    /** Exactly one JSON value. */
    private static boolean isJson(byte[] data) {
        try (JsonParser p = JSON.createParser(data)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
