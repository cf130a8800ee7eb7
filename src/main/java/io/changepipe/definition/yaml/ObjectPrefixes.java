package io.changepipe.definition.yaml;

import java.time.format.DateTimeFormatter;

/** Checks Firehose-style S3 prefixes: {@code !{timestamp:yyyy/MM/dd}}, {@code !{partition:table}}, {@code !{firehose:...}}. */
final class ObjectPrefixes {

    private ObjectPrefixes() {
    }

    /** Null when the prefix is usable; else what is wrong. */
    static String check(String prefix, boolean errorPrefix) {
        if (prefix.startsWith("/")) {
            return "must not start with '/'";
        }
        if (prefix.length() > 1024) {
            return "must be at most 1024 characters";
        }
        int at = prefix.indexOf("!{");
        while (at >= 0) {
            int close = prefix.indexOf('}', at);
            if (close < 0) {
                return "'!{' at position " + (at + 1) + " is never closed";
            }
            String bad = checkExpression(prefix.substring(at + 2, close), errorPrefix);
            if (bad != null) {
                return bad;
            }
            at = prefix.indexOf("!{", close);
        }
        return null;
    }

    private static String checkExpression(String body, boolean errorPrefix) {
        int colon = body.indexOf(':');
        String ns = colon < 0 ? body : body.substring(0, colon);
        String arg = colon < 0 ? "" : body.substring(colon + 1);
        switch (ns) {
            case "timestamp" -> {
                try {
                    DateTimeFormatter.ofPattern(arg);
                    return arg.isEmpty() ? "!{timestamp:} needs a date pattern like yyyy/MM/dd" : null;
                } catch (IllegalArgumentException e) {
                    return "!{timestamp:" + arg + "} is not a date pattern: " + e.getMessage();
                }
            }
            case "partition" -> {
                if (errorPrefix) {
                    return "!{partition:...} is not available in errorPrefix";
                }
                return arg.matches("[A-Za-z_][A-Za-z0-9_$]*") ? null
                        : "!{partition:" + arg + "} must name schema, table or a column";
            }
            case "firehose" -> {
                if (arg.equals("random-string") || (errorPrefix && arg.equals("error-output-type"))) {
                    return null;
                }
                return "!{firehose:" + arg + "} must be " + (errorPrefix ? "random-string or error-output-type" : "random-string");
            }
            default -> {
                return "!{" + body + "} is not an expression; use timestamp, partition or firehose";
            }
        }
    }
}
