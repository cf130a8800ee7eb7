package io.changepipe.source.mysql;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Replica server ids. Each replica of a server needs its own (a second connection with the same id makes the server
 * drop the first), so an unset id is derived from the pipeline name: stable across restarts, in [1,000,000,000,
 * 2,000,000,000) where real servers' small ids rarely are.
 */
final class ServerIds {

    private ServerIds() {
    }

    static long of(long configured, String pipeline) {
        if (configured != 0) {
            return configured;
        }
        CRC32 crc = new CRC32();
        crc.update(pipeline.getBytes(StandardCharsets.UTF_8));
        return 1_000_000_000L + crc.getValue() % 1_000_000_000L;
    }
}
