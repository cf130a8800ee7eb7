package io.changepipe.offset;

import io.changepipe.event.SourcePosition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * One small file per pipeline ({@code <pipeline>.position}: kind, then the stored form: the text and, for a full load,
 * its progress lines), replaced atomically on every store.
 */
public final class FilePositionStore implements PositionStore {

    private final Path dir;

    public FilePositionStore(Path dir) {
        this.dir = dir;
    }

    @Override
    public Optional<SourcePosition> load(String pipeline) throws IOException {
        Path f = file(pipeline);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            throw new IOException(f + " is not a stored position (expected a kind line and a position line); "
                    + "delete it to start from the pipeline's configured start");
        }
        try {
            return Optional.of(SourcePosition.parse(lines.get(0), String.join("\n", lines.subList(1, lines.size()))));
        } catch (RuntimeException e) {
            throw new IOException(f + " is not a stored position (" + e.getMessage() + "); "
                    + "delete it to start from the pipeline's configured start", e);
        }
    }

    @Override
    public void store(String pipeline, SourcePosition position) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + pipeline + ".position.tmp");
        String stored = position.stored();
        byte[] bytes = (position.kind() + "\n" + stored + (stored.endsWith("\n") ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(bytes));
            // the rename below must never expose a file whose bytes are not on disk yet
            ch.force(true);
        }
        try {
            Files.move(tmp, file(pipeline), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file(pipeline), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path file(String pipeline) {
        return dir.resolve(pipeline + ".position");
    }
}
