package io.changepipe.sink.spool;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One spool file: frames of a type byte, a length and the bytes — a header (written at creation), records, and at
 * most one seal carrying the object key the file is uploaded to. A frame cut short by a crash is ignored when the file
 * is read back: its record was never answered done, so the source sends it again.
 */
public final class SpoolFile {

    private static final byte HEADER = 'H';
    private static final byte RECORD = 'R';
    private static final byte SEAL = 'S';

    private final Spool spool;
    private final Path path;
    private final String header;
    private FileOutputStream file;
    private DataOutputStream out;
    private long payloadBytes;
    private long diskBytes;
    private int records;
    private String key;

    private SpoolFile(Spool spool, Path path, String header) {
        this.spool = spool;
        this.path = path;
        this.header = header;
    }

    static SpoolFile create(Spool spool, Path path, String header) {
        SpoolFile f = new SpoolFile(spool, path, header);
        try {
            f.file = new FileOutputStream(path.toFile());
            f.out = new DataOutputStream(new BufferedOutputStream(f.file, 64 * 1024));
            f.frame(HEADER, header.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool file " + path, e);
        }
        return f;
    }

    static SpoolFile read(Spool spool, Path path) {
        try {
            long valid = 0;
            SpoolFile f = null;
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 64 * 1024))) {
                while (true) {
                    int type = in.read();
                    byte[] b = type < 0 ? null : frame(in);
                    if (b == null || (f == null && type != HEADER)) {
                        break;
                    }
                    valid += 5L + b.length;
                    if (f == null) {
                        f = new SpoolFile(spool, path, new String(b, StandardCharsets.UTF_8));
                    } else if (type == RECORD) {
                        f.records++;
                        f.payloadBytes += b.length;
                    } else if (type == SEAL) {
                        f.key = new String(b, StandardCharsets.UTF_8);
                    }
                }
            }
            if (f == null) {
                // cut before its header was on disk: it holds nothing that was answered done
                Files.delete(path);
                return null;
            }
            if (Files.size(path) > valid) {
                // a frame cut short by a crash: its record was never answered done; drop it so a seal can follow
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(true);
                }
            }
            f.diskBytes = valid;
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spool file " + path, e);
        }
    }

    /** The rest of a frame whose type byte was read: its bytes, or null when the crash cut it short. */
    private static byte[] frame(DataInputStream in) throws IOException {
        try {
            int n = in.readInt();
            if (n < 0) {
                return null;
            }
            byte[] b = in.readNBytes(n);
            return b.length == n ? b : null;
        } catch (EOFException e) {
            return null;
        }
    }

    /** Appends one record; {@link #sync} makes it durable. */
    public synchronized void append(byte[] payload) {
        try {
            frame(RECORD, payload);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to spool file " + path, e);
        }
        records++;
        payloadBytes += payload.length;
    }

    private void frame(byte type, byte[] bytes) throws IOException {
        if (out == null) {
            throw new IllegalStateException("spool file " + path + " is sealed");
        }
        out.writeByte(type);
        out.writeInt(bytes.length);
        out.write(bytes);
        long n = 5L + bytes.length;
        diskBytes += n;
        spool.grew(n);
    }

    /** Forces what was appended to disk: only then are its records done. */
    public synchronized void sync() {
        if (out == null) {
            return;
        }
        try {
            out.flush();
            file.getChannel().force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force spool file " + path + " to disk", e);
        }
    }

    /** Records the object key this file goes to and closes it for appends; durable when it returns. */
    public synchronized void seal(String key) {
        try {
            if (out == null && this.key == null) {
                file = new FileOutputStream(path.toFile(), true);
                out = new DataOutputStream(new BufferedOutputStream(file, 1024));
            }
            frame(SEAL, key.getBytes(StandardCharsets.UTF_8));
            sync();
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot seal spool file " + path, e);
        }
        out = null;
        file = null;
        this.key = key;
    }

    /** Writes the records' bytes, in order, to {@code to}. */
    public void copyTo(OutputStream to) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path), 64 * 1024))) {
            while (true) {
                int type = in.read();
                byte[] b = type < 0 ? null : frame(in);
                if (b == null) {
                    return;
                }
                if (type == RECORD) {
                    to.write(b);
                }
            }
        }
    }

    /** Removes the file once its object is uploaded. */
    public synchronized void delete() {
        try {
            if (out != null) {
                out.close();
                out = null;
            }
            Files.deleteIfExists(path);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spool file " + path, e);
        }
        spool.grew(-diskBytes);
        diskBytes = 0;
    }

    public String header() {
        return header;
    }

    /** The object key given at sealing, or null while open (or when a crash came before sealing). */
    public synchronized String key() {
        return key;
    }

    public synchronized boolean sealed() {
        return key != null;
    }

    /** Record bytes (what the object will hold before compression). */
    public synchronized long size() {
        return payloadBytes;
    }

    public synchronized int records() {
        return records;
    }

    synchronized long diskBytes() {
        return diskBytes;
    }

    Path path() {
        return path;
    }

    /** Where the object's body (compressed when asked) is put together for an upload; deleted after it, or at recovery. */
    Path uploadBody() {
        return path.resolveSibling(path.getFileName() + Spool.UPLOAD_SUFFIX);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
