package io.changepipe.sink.s3batch;

import io.changepipe.event.ChangeEvent;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Firehose-style S3 prefix, parsed once. {@link #partition} evaluates the {@code !{partition:..}} parts per record
 * (they pick the buffer); {@link #render} fills the rest when the object is written: every {@code !{timestamp:..}}
 * with one instant in UTC, {@code !{firehose:random-string}} with 11 random characters, and
 * {@code !{firehose:error-output-type}} with the error type.
 */
final class KeyPrefix {

    private static final String RANDOM_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private sealed interface Part {
    }

    private record Text(String text) implements Part {
    }

    private record Timestamp(DateTimeFormatter format) implements Part {
    }

    private record Partition(String what) implements Part {
    }

    private record RandomString() implements Part {
    }

    private record ErrorType() implements Part {
    }

    private final List<Part> parts;
    private final boolean partitioned;
    private final boolean hasErrorType;

    private KeyPrefix(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.partitioned = parts.stream().anyMatch(p -> p instanceof Partition);
        this.hasErrorType = parts.stream().anyMatch(p -> p instanceof ErrorType);
    }

    /** Parses a prefix the pipeline parser has checked. */
    static KeyPrefix parse(String prefix) {
        List<Part> parts = new ArrayList<>();
        int from = 0;
        int at = prefix.indexOf("!{");
        while (at >= 0) {
            int close = prefix.indexOf('}', at);
            if (close < 0) {
                throw new IllegalArgumentException("'!{' at position " + (at + 1) + " is never closed: " + prefix);
            }
            if (at > from) {
                parts.add(new Text(prefix.substring(from, at)));
            }
            String body = prefix.substring(at + 2, close);
            int colon = body.indexOf(':');
            String ns = colon < 0 ? body : body.substring(0, colon);
            String arg = colon < 0 ? "" : body.substring(colon + 1);
            parts.add(switch (ns) {
                case "timestamp" -> new Timestamp(DateTimeFormatter.ofPattern(arg).withZone(ZoneOffset.UTC));
                case "partition" -> new Partition(arg);
                case "firehose" -> arg.equals("error-output-type") ? new ErrorType() : new RandomString();
                default -> throw new IllegalArgumentException("!{" + body + "} is not a prefix expression");
            });
            from = close + 1;
            at = prefix.indexOf("!{", from);
        }
        if (from < prefix.length()) {
            parts.add(new Text(prefix.substring(from)));
        }
        return new KeyPrefix(parts);
    }

    /** The error prefix as Firehose would use it: {@code <type>/} appended when it does not name the error type. */
    KeyPrefix withErrorType() {
        if (hasErrorType) {
            return this;
        }
        List<Part> p = new ArrayList<>(parts);
        p.add(new ErrorType());
        p.add(new Text("/"));
        return new KeyPrefix(p);
    }

    /**
     * The values of the partition expressions for {@code e}, joined by NUL: the buffer the record goes to. Throws
     * IllegalArgumentException when a named column is missing or null (the record cannot be partitioned).
     */
    String partition(ChangeEvent e) {
        if (!partitioned) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Partition x) {
                b.append(value(e, x.what())).append('\u0000');
            }
        }
        return b.toString();
    }

    private static String value(ChangeEvent e, String what) {
        switch (what) {
            case "schema":
                return e.table().schema();
            case "table":
                return e.table().table();
            default:
                Object v = e.image() == null ? null : e.image().get(what);
                if (v == null) {
                    throw new IllegalArgumentException("partition column '" + what + "' is missing or null in " + e.table());
                }
                String s = v.toString();
                if (s.isEmpty() || s.contains("/")) {
                    throw new IllegalArgumentException("partition column '" + what + "' value '" + s
                            + "' cannot be part of an S3 key (empty or contains '/')");
                }
                return s;
        }
    }

    /** The prefix for an object whose oldest record arrived at {@code time}, with the values {@link #partition} gave. */
    String render(Instant time, String partition, String errorType) {
        StringBuilder b = new StringBuilder();
        int from = 0;
        for (Part p : parts) {
            if (p instanceof Text t) {
                b.append(t.text());
            } else if (p instanceof Timestamp t) {
                b.append(t.format().format(time));
            } else if (p instanceof Partition) {
                int end = partition.indexOf('\u0000', from);
                b.append(partition, from, end);
                from = end + 1;
            } else if (p instanceof RandomString) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 11; i++) {
                    b.append(RANDOM_CHARS.charAt(random.nextInt(RANDOM_CHARS.length())));
                }
            } else {
                b.append(errorType);
            }
        }
        return b.toString();
    }
}
