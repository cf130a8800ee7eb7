package io.changepipe.sink.s3batch;

import io.changepipe.sink.PendingWrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The records bound for one object: their lines, compressed as they arrive when gzip is on (memory holds the object
 * as it will be written), and the write slots they settle. {@code size} counts the uncompressed bytes, as Firehose's
 * buffer size does.
 */
final class Batch {

    /** A record's place in the write it came with. */
    record Slot(PendingWrite write, int index, io.changepipe.sink.SinkRecord record, Instant arrival) {
    }

    final String partition;
    final Instant oldest;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    private final OutputStream out;
    private final List<Slot> slots = new ArrayList<>();
    private final boolean gzip;
    private long size;

    Batch(String partition, Instant oldest, boolean gzip) {
        this.partition = partition;
        this.oldest = oldest;
        this.gzip = gzip;
        try {
            this.out = gzip ? new GZIPOutputStream(bytes, 8192) : bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(byte[] line, Slot slot) {
        try {
            out.write(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        slots.add(slot);
        size += line.length;
    }

    long size() {
        return size;
    }

    /** Bytes held now, counting a deflater's own state (zlib keeps about 256 KiB per stream outside the heap). */
    long held() {
        return bytes.size() + (gzip ? 256L * 1024 : 8192L);
    }

    int count() {
        return slots.size();
    }

    List<Slot> slots() {
        return slots;
    }

    /** The object's bytes; the batch takes no more records. */
    byte[] finish() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
