package io.changepipe.sink.spool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A buffering sink's disk buffer, {@code <state dir>/spool/<pipeline>/<sink>/}: the sink appends each record to a
 * {@link SpoolFile} and answers it done once the file is forced to disk; uploads go from the files, which are deleted
 * once uploaded. Files left by a crash are found again by {@link #recover}. Above {@code maxBytes} on disk,
 * {@link #awaitRoom} blocks the writer, so a long outage back-pressures the pipeline instead of filling the disk.
 */
public final class Spool {

    private static final String SUFFIX = ".spool";
    static final String UPLOAD_SUFFIX = ".upload";

    private final Path dir;
    private final long maxBytes;
    private long bytes;
    private long next;

    public Spool(Path dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the spool directory " + dir, e);
        }
    }

    /** The spool of one sink of one pipeline under the state directory. */
    public static Spool of(Path stateDir, String pipeline, String sink, long maxBytes) {
        return new Spool(stateDir.resolve("spool").resolve(pipeline).resolve(sink), maxBytes);
    }

    /** Files a previous run left, oldest first: sealed or not, each with what it holds. */
    public synchronized List<SpoolFile> recover() {
        List<Path> paths = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            files.forEach(paths::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the spool directory " + dir, e);
        }
        paths.sort(null);
        // bodies of uploads a crash interrupted: they are made again from their spool files
        try (DirectoryStream<Path> bodies = Files.newDirectoryStream(dir, "*" + UPLOAD_SUFFIX)) {
            for (Path b : bodies) {
                Files.deleteIfExists(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the spool directory " + dir, e);
        }
        List<SpoolFile> out = new ArrayList<>();
        for (Path p : paths) {
            String name = p.getFileName().toString();
            next = Math.max(next, Long.parseLong(name.substring(0, name.length() - SUFFIX.length())) + 1);
            SpoolFile f = SpoolFile.read(this, p);
            if (f != null) {
                bytes += f.diskBytes();
                out.add(f);
            }
        }
        return out;
    }

    /** A new file whose header (what the sink needs to upload it later: key, table...) is written first. */
    public synchronized SpoolFile create(String header) {
        Path p = dir.resolve(String.format("%019d", next++) + SUFFIX);
        return SpoolFile.create(this, p, header);
    }

    /** Blocks while the files on disk hold more than the limit (uploads free room as they finish). */
    public synchronized void awaitRoom() throws InterruptedException {
        while (bytes > maxBytes) {
            wait();
        }
    }

    /** Bytes on disk. */
    public synchronized long bytes() {
        return bytes;
    }

    synchronized void grew(long n) {
        bytes += n;
        if (n < 0) {
            notifyAll();
        }
    }

    /** A small state file of the sink's, beside its spool files (e.g. name counters), or empty when there is none. */
    public Optional<String> readState(String name) {
        Path p = dir.resolve(name);
        try {
            return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p, e);
        }
    }

    /** Replaces a state file atomically and durably. */
    public void writeState(String name, String content) {
        Path tmp = dir.resolve("." + name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(content.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException x) {
                throw new UncheckedIOException("cannot replace " + dir.resolve(name), x);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + dir.resolve(name), e);
        }
    }

    Path dir() {
        return dir;
    }
}
