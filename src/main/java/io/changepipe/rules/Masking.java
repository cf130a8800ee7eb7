package io.changepipe.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.function.UnaryOperator;

/** DMS's data-masking actions on a value's text ({@link SqlValues#text}); the result is always a String, null stays null. */
final class Masking {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private Masking() {
    }

    /** {@code data-masking-digits-mask}: every digit becomes {@code *}. */
    static UnaryOperator<Object> digitsMask() {
        return v -> v == null ? null : replaceDigits(SqlValues.text(v), null);
    }

    /** {@code data-masking-digits-randomize}: every digit becomes a digit drawn from {@code random}. */
    static UnaryOperator<Object> digitsRandomize(Random random) {
        return v -> v == null ? null : replaceDigits(SqlValues.text(v), random);
    }

    /** {@code data-masking-hash-mask}: the lower-case hex SHA-256 of the value's UTF-8 text (of the bytes themselves for byte[]). */
    static UnaryOperator<Object> hash() {
        return v -> {
            if (v == null) {
                return null;
            }
            byte[] in = v instanceof byte[] b ? b : SqlValues.text(v).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(SHA256.get().digest(in));
        };
    }

    private static String replaceDigits(String s, Random random) {
        char[] out = s.toCharArray();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= '0' && out[i] <= '9') {
                out[i] = random == null ? '*' : (char) ('0' + random.nextInt(10));
            }
        }
        return new String(out);
    }
}
