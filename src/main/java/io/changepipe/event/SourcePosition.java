package io.changepipe.event;

import java.util.Objects;

/**
 * Where a change is in its source. The text form is stable and unique per change: it is the dedupe id consumers
 * receive ({@code stream-position}) and what the position store keeps. Positions of one kind compare in source order.
 */
public sealed interface SourcePosition {

    /** Stable text, e.g. {@code mariadb-bin.000003:1234:2}. */
    String text();

    /** The kind prefix under which the position store keeps it: binlog, load, lsn, s3, seq. */
    String kind();

    /** What the position store keeps: the text, plus for some kinds lines of state a restart needs (full-load progress). */
    default String stored() {
        return text();
    }

    /** Reads a stored position back from its kind and {@link #stored} form. */
    static SourcePosition parse(String kind, String text) {
        return switch (kind) {
            case "binlog" -> BinlogPosition.parse(text);
            case "load" -> LoadRow.parseStored(text);
            case "lsn" -> Lsn.parse(text);
            case "s3" -> S3FilePosition.parse(text);
            case "seq" -> new Sequence(Long.parseLong(text));
            default -> throw new IllegalArgumentException("unknown position kind '" + kind + "'");
        };
    }

    /**
     * A change in a binlog: the file and start offset of its transaction's first event, the change's number inside that
     * transaction (from 1, counting every row and DDL statement of the transaction, selected or not), and the GTID set
     * executed before the transaction (empty when unknown). Resuming from it means reading the transaction at
     * {@code file:position} again and skipping its first {@code rowInEvent} changes. Number 0 is a transaction
     * boundary, not a change: "nothing of the transaction starting here has been delivered" (end of a full load,
     * heartbeats).
     */
    record BinlogPosition(String file, long position, int rowInEvent, String gtidSet) implements SourcePosition, Comparable<BinlogPosition> {
        public BinlogPosition {
            Objects.requireNonNull(file);
            gtidSet = gtidSet == null ? "" : gtidSet;
        }

        @Override
        public String text() {
            return file + ":" + position + ":" + rowInEvent + (gtidSet.isEmpty() ? "" : ":" + gtidSet);
        }

        @Override
        public String kind() {
            return "binlog";
        }

        static BinlogPosition parse(String text) {
            String[] p = text.split(":", 4);
            if (p.length < 3) {
                throw new IllegalArgumentException("binlog position '" + text + "' is not file:position:row[:gtids]");
            }
            return new BinlogPosition(p[0], Long.parseLong(p[1]), Integer.parseInt(p[2]), p.length == 4 ? p[3] : "");
        }

        @Override
        public int compareTo(BinlogPosition o) {
            int c = file.compareTo(o.file);
            if (c == 0) {
                c = Long.compare(position, o.position);
            }
            return c != 0 ? c : Integer.compare(rowInEvent, o.rowInEvent);
        }
    }

    /**
     * A row of a full load: the snapshot it belongs to (e.g. the binlog point it was taken at) and its number in the
     * load, from 1; the text {@code snapshot#row} is the row's dedupe id. {@code progress} (null when not tracked) is
     * what a restart needs: where CDC continues, which load attempt this is, and the tables whose load was wholly
     * emitted before this row. Committed, it means those tables are delivered to every sink: a restart loads only
     * the others, and CDC continues from the first snapshot.
     */
    record LoadRow(String snapshot, long row, LoadProgress progress) implements SourcePosition, Comparable<LoadRow> {
        public LoadRow {
            Objects.requireNonNull(snapshot);
        }

        public LoadRow(String snapshot, long row) {
            this(snapshot, row, null);
        }

        @Override
        public String text() {
            return snapshot + "#" + row;
        }

        @Override
        public String kind() {
            return "load";
        }

        @Override
        public String stored() {
            return progress == null ? text() : text() + "\n" + progress.stored();
        }

        static LoadRow parse(String text) {
            int hash = text.lastIndexOf('#');
            if (hash < 0) {
                throw new IllegalArgumentException("load position '" + text + "' is not snapshot#row");
            }
            return new LoadRow(text.substring(0, hash), Long.parseLong(text.substring(hash + 1)));
        }

        static LoadRow parseStored(String stored) {
            int nl = stored.indexOf('\n');
            if (nl < 0) {
                return parse(stored);
            }
            LoadRow r = parse(stored.substring(0, nl));
            return new LoadRow(r.snapshot, r.row, LoadProgress.parse(stored.substring(nl + 1)));
        }

        @Override
        public int compareTo(LoadRow o) {
            int c = snapshot.compareTo(o.snapshot);
            return c != 0 ? c : Long.compare(row, o.row);
        }
    }

    /**
     * An interrupted full load's state: the position CDC continues from once the load is done (the first snapshot's;
     * null when there is none), the attempt number (1 for the first load, more for each restart) and the tables whose
     * rows were all emitted.
     */
    record LoadProgress(SourcePosition resume, int attempt, java.util.Set<TableId> done) {
        public LoadProgress {
            done = java.util.Set.copyOf(done);
        }

        /** The same load with {@code table} wholly emitted too. */
        public LoadProgress with(TableId table) {
            java.util.Set<TableId> d = new java.util.HashSet<>(done);
            d.add(table);
            return new LoadProgress(resume, attempt, d);
        }

        String stored() {
            StringBuilder b = new StringBuilder().append("attempt ").append(attempt).append('\n');
            b.append(resume == null ? "resume none" : "resume " + resume.kind() + " " + resume.stored().replace('\n', ' ')).append('\n');
            done.stream().map(t -> "done " + enc(t.schema()) + " " + enc(t.table())).sorted().forEach(l -> b.append(l).append('\n'));
            return b.toString();
        }

        static LoadProgress parse(String lines) {
            int attempt = 1;
            SourcePosition resume = null;
            java.util.Set<TableId> done = new java.util.HashSet<>();
            for (String l : lines.split("\n")) {
                if (l.startsWith("attempt ")) {
                    attempt = Integer.parseInt(l.substring(8).trim());
                } else if (l.startsWith("resume ") && !l.equals("resume none")) {
                    String[] p = l.substring(7).split(" ", 2);
                    resume = SourcePosition.parse(p[0], p[1]);
                } else if (l.startsWith("done ")) {
                    String[] p = l.substring(5).split(" ", 2);
                    done.add(new TableId(dec(p[0]), dec(p[1])));
                } else if (!l.isBlank() && !l.equals("resume none")) {
                    throw new IllegalArgumentException("full-load progress line '" + l + "' is not attempt/resume/done");
                }
            }
            return new LoadProgress(resume, attempt, done);
        }

        private static String enc(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }

        private static String dec(String s) {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** A SQL Server change: commit LSN, change (sequence value) LSN and operation, each hex as in the change tables. */
    record Lsn(String commitLsn, String changeLsn, int operation) implements SourcePosition, Comparable<Lsn> {
        @Override
        public String text() {
            return commitLsn + ":" + changeLsn + ":" + operation;
        }

        @Override
        public String kind() {
            return "lsn";
        }

        static Lsn parse(String text) {
            String[] p = text.split(":");
            if (p.length != 3) {
                throw new IllegalArgumentException("LSN position '" + text + "' is not commit:change:operation");
            }
            return new Lsn(p[0], p[1], Integer.parseInt(p[2]));
        }

        @Override
        public int compareTo(Lsn o) {
            int c = commitLsn.compareToIgnoreCase(o.commitLsn);
            if (c == 0) {
                c = changeLsn.compareToIgnoreCase(o.changeLsn);
            }
            return c != 0 ? c : Integer.compare(operation, o.operation);
        }
    }

    /** A line of an S3 CSV file (files are read in lexical key order, as DMS does). */
    record S3FilePosition(String key, long line) implements SourcePosition, Comparable<S3FilePosition> {
        @Override
        public String text() {
            return key + "#" + line;
        }

        @Override
        public String kind() {
            return "s3";
        }

        static S3FilePosition parse(String text) {
            int hash = text.lastIndexOf('#');
            if (hash < 0) {
                throw new IllegalArgumentException("S3 position '" + text + "' is not key#line");
            }
            return new S3FilePosition(text.substring(0, hash), Long.parseLong(text.substring(hash + 1)));
        }

        @Override
        public int compareTo(S3FilePosition o) {
            int c = key.compareTo(o.key);
            return c != 0 ? c : Long.compare(line, o.line);
        }
    }

    /** A plain sequence number (the in-memory source, tests). */
    record Sequence(long value) implements SourcePosition, Comparable<Sequence> {
        @Override
        public String text() {
            return Long.toString(value);
        }

        @Override
        public String kind() {
            return "seq";
        }

        @Override
        public int compareTo(Sequence o) {
            return Long.compare(value, o.value);
        }
    }
}
