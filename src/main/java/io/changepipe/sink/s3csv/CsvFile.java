package io.changepipe.sink.s3csv;

import io.changepipe.sink.PendingWrite;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** One CSV file being filled: RFC 4180 rows through commons-csv, gzip'd as they come when asked; {@code size} is uncompressed. */
final class CsvFile {

    /** A record's place in the write it came with. */
    record Slot(PendingWrite write, int index) {
    }

    final String directory;
    final boolean load;
    final Instant opened;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
    private final Counting counting;
    private final CSVPrinter printer;
    private final List<Slot> slots = new ArrayList<>();
    private boolean header;

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    CsvFile(String directory, boolean load, Instant opened, CSVFormat format, boolean gzip) {
        this.directory = directory;
        this.load = load;
        this.opened = opened;
        try {
            this.counting = new Counting(gzip ? new GZIPOutputStream(bytes, 8192) : bytes);
            this.printer = new CSVPrinter(new OutputStreamWriter(counting, StandardCharsets.UTF_8), format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void add(List<String> names, List<String> values, Slot slot) {
        try {
            if (names != null && !header) {
                printer.printRecord(names);
            }
            header = true;
            printer.printRecord(values);
            printer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        slots.add(slot);
    }

    long size() {
        return counting.count;
    }

    List<Slot> slots() {
        return slots;
    }

    byte[] finish() {
        try {
            printer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
