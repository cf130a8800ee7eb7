package io.changepipe.sink.kinesis;

import java.util.Optional;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamRequest;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;

/** A stream named by name or by ARN; requests get {@code StreamName} or {@code StreamARN} accordingly. */
public record StreamTarget(String text) {

    private static final String MARK = ":stream/";

    public static StreamTarget of(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a stream name or ARN is required");
        }
        return new StreamTarget(text);
    }

    public boolean isArn() {
        return text.startsWith("arn:");
    }

    /** The stream's name (the part after {@code :stream/} of an ARN). */
    public String name() {
        int at = text.indexOf(MARK);
        return isArn() && at >= 0 ? text.substring(at + MARK.length()) : text;
    }

    /** The region of an ARN ({@code arn:aws:kinesis:<region>:<account>:stream/<name>}). */
    public Optional<String> arnRegion() {
        String[] parts = text.split(":", 6);
        return isArn() && parts.length == 6 && !parts[3].isEmpty() ? Optional.of(parts[3]) : Optional.empty();
    }

    PutRecordsRequest.Builder on(PutRecordsRequest.Builder b) {
        return isArn() ? b.streamARN(text) : b.streamName(text);
    }

    DescribeStreamSummaryRequest.Builder on(DescribeStreamSummaryRequest.Builder b) {
        return isArn() ? b.streamARN(text) : b.streamName(text);
    }

    DescribeStreamRequest.Builder on(DescribeStreamRequest.Builder b) {
        return isArn() ? b.streamARN(text) : b.streamName(text);
    }

    ListShardsRequest.Builder on(ListShardsRequest.Builder b) {
        return isArn() ? b.streamARN(text) : b.streamName(text);
    }

    GetShardIteratorRequest.Builder on(GetShardIteratorRequest.Builder b) {
        return isArn() ? b.streamARN(text) : b.streamName(text);
    }

    @Override
    public String toString() {
        return text;
    }
}
