package io.changepipe.sink.sns;

import io.changepipe.sink.SinkRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/** One alert of one rule for one change, ready to publish. */
record Alert(SinkRecord record, String rule, String subject, String message, Map<String, String> attributes) {

    /** SNS's limit for one message, and for the sum of a PublishBatch's messages: 256 KiB, attributes included. */
    static final int MAX_BYTES = 256 * 1024;
    /** MessageGroupId and MessageDeduplicationId: at most 128 characters, alphanumerics and punctuation. */
    private static final int MAX_ID = 128;

    Alert {
        attributes = Map.copyOf(new LinkedHashMap<>(attributes));
    }

    /** Bytes SNS counts against the 256 KiB limit: the message, the subject and every attribute name, type and value. */
    int size() {
        int n = utf8(message) + utf8(subject);
        for (Map.Entry<String, String> a : attributes.entrySet()) {
            n += utf8(a.getKey()) + "String".length() + utf8(a.getValue());
        }
        return n;
    }

    PublishBatchRequestEntry entry(String id, boolean fifo) {
        PublishBatchRequestEntry.Builder b = PublishBatchRequestEntry.builder().id(id).message(message)
                .messageAttributes(messageAttributes());
        if (!subject.isEmpty()) {
            b.subject(subject);
        }
        if (fifo) {
            b.messageGroupId(fifoId(record.partitionKey()))
                    .messageDeduplicationId(fifoId(record.event().dedupeId() + ":" + rule));
        }
        return b.build();
    }

    private Map<String, MessageAttributeValue> messageAttributes() {
        Map<String, MessageAttributeValue> m = new LinkedHashMap<>();
        attributes.forEach((k, v) -> m.put(k, MessageAttributeValue.builder().dataType("String").stringValue(v).build()));
        return m;
    }

    /** The text itself when SNS accepts it as an id; else the SHA-256 hex of it (64 characters, stable). */
    static String fifoId(String text) {
        if (!text.isEmpty() && text.length() <= MAX_ID && text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return text;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SNS subject: printable ASCII on one line, at most 100 characters. */
    static String subjectText(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 100));
        for (int i = 0; i < s.length() && b.length() < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 ? ' ' : c < 0x7f ? c : '?');
        }
        return b.toString().strip();
    }

    private static int utf8(String s) {
        return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
    }
}
