package io.changepipe.definition;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A byte count written the way people write it: {@code 512KiB}, {@code 5MiB}, {@code 1MB}, {@code 4096}. */
public record DataSize(long bytes) implements Comparable<DataSize> {

    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*([KMG]i?B|B)?", Pattern.CASE_INSENSITIVE);

    public static final DataSize ZERO = new DataSize(0);

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
    }

    public static DataSize ofKiB(long n) {
        return new DataSize(n * 1024);
    }

    public static DataSize ofMiB(long n) {
        return new DataSize(n * 1024 * 1024);
    }

    /** Parses {@code 10}, {@code 10B}, {@code 10KB}, {@code 10KiB}, {@code 10MiB}, {@code 1GiB}; KB/MB/GB are decimal. */
    public static DataSize parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1000L;
            case "KIB" -> 1024L;
            case "MB" -> 1000L * 1000;
            case "MIB" -> 1024L * 1024;
            case "GB" -> 1000L * 1000 * 1000;
            case "GIB" -> 1024L * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
        return new DataSize(Math.multiplyExact(n, factor));
    }

    @Override
    public int compareTo(DataSize o) {
        return Long.compare(bytes, o.bytes);
    }

    @Override
    public String toString() {
        if (bytes != 0 && bytes % (1024L * 1024 * 1024) == 0) {
            return bytes / (1024L * 1024 * 1024) + "GiB";
        }
        if (bytes != 0 && bytes % (1024L * 1024) == 0) {
            return bytes / (1024L * 1024) + "MiB";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "KiB";
        }
        return bytes + "B";
    }
}
