package io.changepipe.source.mysql;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;

/**
 * Binlog cells the connector decodes loosely, decoded exactly: dates and date-times as java.time values straight from
 * their fields (no time zone, no calendar), TIMESTAMP as an Instant, TIME as signed microseconds (negative and over
 * 24 hours kept), YEAR as its number (0 for 0000), BIT as an unsigned number. Zero dates are null, as Connector/J's
 * {@code zeroDateTimeBehavior=CONVERT_TO_NULL} makes them on the full-load path.
 */
final class BinlogCells {

    /** Returned for types this class leaves to the connector. */
    static final Serializable NOT_MINE = new Serializable() {
    };

    private BinlogCells() {
    }

    static Serializable decode(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in.readInteger(3));
            case DATETIME_V2 -> datetime2(meta, in);
            case TIMESTAMP_V2 -> timestamp2(meta, in);
            case TIME_V2 -> time2(meta, in);
            case DATETIME -> datetime(in.readLong(8));
            case TIMESTAMP -> {
                long s = in.readLong(4);
                yield s == 0 ? null : Instant.ofEpochSecond(s);
            }
            case TIME -> {
                int v = (in.readInteger(3) << 8) >> 8;
                long abs = Math.abs((long) v);
                long micros = ((abs / 10000) * 3600 + (abs / 100 % 100) * 60 + abs % 100) * 1_000_000L;
                yield v < 0 ? -micros : micros;
            }
            case YEAR -> {
                int y = in.readInteger(1);
                yield (long) (y == 0 ? 0 : 1900 + y);
            }
            case BIT -> bit(meta, in);
            default -> NOT_MINE;
        };
    }

    private static LocalDate date(int v) {
        int day = v & 31;
        int month = (v >>> 5) & 15;
        int year = v >>> 9;
        return valid(year, month, day) ? LocalDate.of(year, month, day) : null;
    }

    private static LocalDateTime datetime2(int fsp, ByteArrayInputStream in) throws IOException {
        long v = bigEndian(in.read(5)) - 0x8000000000L;
        int micros = fraction(fsp, in);
        long ymd = v >> 17;
        long ym = ymd >> 5;
        int hms = (int) (v & 0x1FFFF);
        return dateTime((int) (ym / 13), (int) (ym % 13), (int) (ymd & 31), hms >> 12, (hms >> 6) & 63, hms & 63, micros);
    }

    private static LocalDateTime datetime(long v) {
        long date = v / 1_000_000;
        long time = v % 1_000_000;
        return dateTime((int) (date / 10000), (int) (date / 100 % 100), (int) (date % 100), (int) (time / 10000),
                (int) (time / 100 % 100), (int) (time % 100), 0);
    }

    private static LocalDateTime dateTime(int year, int month, int day, int hour, int minute, int second, int micros) {
        if (!valid(year, month, day)) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, micros * 1000);
        } catch (DateTimeException e) {
            return null; // 2024-02-30 under ALLOW_INVALID_DATES: no java.time value exists
        }
    }

    private static boolean valid(int year, int month, int day) {
        return year != 0 && month != 0 && day != 0 && month <= 12 && day <= LocalDate.of(year, month, 1).lengthOfMonth();
    }

    private static Instant timestamp2(int fsp, ByteArrayInputStream in) throws IOException {
        long seconds = bigEndian(in.read(4));
        int micros = fraction(fsp, in);
        return seconds == 0 && micros == 0 ? null : Instant.ofEpochSecond(seconds, micros * 1000L);
    }

    /** TIME(fsp) in MySQL 5.6's packed format, as signed microseconds (my_time_packed_from_binary). */
    private static Long time2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in.read(3)) - 0x800000L;
        long frac = 0;
        switch (fsp) {
            case 1, 2 -> {
                frac = in.read(1)[0] & 0xFF;
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                frac *= 10000;
            }
            case 3, 4 -> {
                frac = bigEndian(in.read(2));
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                frac *= 100;
            }
            case 5, 6 -> {
                long packed = (intPart << 24) + bigEndian(in.read(3));
                return fromPacked(packed);
            }
            default -> {
            }
        }
        return fromPacked((intPart << 24) + frac);
    }

    private static Long fromPacked(long packed) {
        boolean negative = packed < 0;
        long p = Math.abs(packed);
        long hms = p >> 24;
        long micros = p % (1L << 24);
        long hour = (hms >> 12) % (1 << 10);
        long minute = (hms >> 6) % (1 << 6);
        long second = hms % (1 << 6);
        long total = ((hour * 60 + minute) * 60 + second) * 1_000_000L + micros;
        return negative ? -total : total;
    }

    private static int fraction(int fsp, ByteArrayInputStream in) throws IOException {
        return switch (fsp) {
            case 1, 2 -> (int) bigEndian(in.read(1)) * 10000;
            case 3, 4 -> (int) bigEndian(in.read(2)) * 100;
            case 5, 6 -> (int) bigEndian(in.read(3));
            default -> 0;
        };
    }

    private static Serializable bit(int meta, ByteArrayInputStream in) throws IOException {
        int bits = (meta >> 8) * 8 + (meta & 0xFF);
        return unsigned(in.read((bits + 7) / 8));
    }

    /** Big-endian bytes as an unsigned number: Long, or BigInteger from 2^63. */
    static Serializable unsigned(byte[] b) {
        if (b.length > 8 || (b.length == 8 && b[0] < 0)) {
            return new BigInteger(1, b);
        }
        return bigEndian(b);
    }

    private static long bigEndian(byte[] b) {
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return v;
    }
}
