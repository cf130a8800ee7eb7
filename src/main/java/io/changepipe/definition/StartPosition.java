package io.changepipe.definition;

/** Where CDC starts when no position is stored yet. A stored position always wins. */
public sealed interface StartPosition {

    /** The source's current end: only changes made from now on. */
    record Current() implements StartPosition {
    }

    /** The oldest change the source still has. */
    record Earliest() implements StartPosition {
    }

    /** A binlog file and byte offset, as {@code SHOW MASTER STATUS} prints them. */
    record BinlogFile(String file, long position) implements StartPosition {
    }

    /** A GTID set (MySQL {@code uuid:1-100} or MariaDB {@code 0-1-100}). */
    record GtidSet(String gtidSet) implements StartPosition {
    }

    /** A SQL Server log sequence number, {@code 0x…} hex. */
    record Lsn(String lsn) implements StartPosition {
    }
}
