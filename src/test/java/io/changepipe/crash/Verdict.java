package io.changepipe.crash;

import io.changepipe.crash.SinkContents.Observation;
import io.changepipe.crash.Workload.Change;
import io.changepipe.crash.Workload.Identity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * One sink's observations judged against what the writer committed, by the contract of docs/engine.md ("What a crash
 * can duplicate and what it cannot lose") and docs/mysql.md ("Positions and restarts").
 *
 * <p>Full loads: each snapshot seen (a load row's {@code stream-position} up to {@code #}: the binlog point, with
 * {@code ~<attempt>} for a reload) is placed exactly among the commits ({@code cut}: the last commit inside it). The
 * <em>first</em> snapshot is the earliest first attempt: its point is stored before its first row, so every restart
 * after it is a reload and CDC continues from its point; every change committed after its cut must be in the sink
 * (lost otherwise). A second first attempt, or one attempt number at two snapshots, means a load started over although
 * rows of an earlier one had reached a sink ({@link Loads#faults()}). Each table's
 * rows must be there as its <em>last</em> load read them: the state at the cut of the latest snapshot holding rows of
 * the table (the first, or the reload that delivered it), as load rows. Order is judged among the change events of a
 * key only: a reload's rows reflect a later state than the changes between the two snapshots that follow them.
 */
final class Verdict {

    final String sink;
    int observed;
    int expected;
    int lost;
    /** Change events seen more than once. */
    int dup;
    /** Load rows seen more than once (a reload sends an interrupted table again whole). */
    int dupLoad;
    int order;
    int unknown;
    int wrong;
    /** Load rows (of a snapshot named in the sink) at another version than the table had at that snapshot's cut. */
    int stale;
    /** CSV only: keys whose replayed row differs from the table (-1: not a replayed sink). */
    int mismatch = -1;
    final List<String> examples = new ArrayList<>();

    private Verdict(String sink) {
        this.sink = sink;
    }

    /**
     * A full-load snapshot seen in the sinks: its id ({@code file:pos} or {@code file:pos~attempt}), attempt, the last
     * commit inside it, the tables it has rows of and how many distinct rows.
     */
    record Snapshot(String id, int attempt, long cut, Set<String> tables, int rows) {
        String point() {
            int tilde = id.indexOf('~');
            return tilde < 0 ? id : id.substring(0, tilde);
        }
    }

    /**
     * The full loads as the sinks show them: every snapshot, the first (CDC's start: the earliest first attempt), and
     * each table's last load.
     */
    record Loads(List<Snapshot> all, Snapshot first, Map<String, Snapshot> lastByTable) {
        /**
         * What the stored start point rules out: a first attempt after the first (a load started afresh after rows of
         * one reached a sink) and an attempt number at two snapshots (a reload started again without its start stored).
         */
        List<String> faults() {
            List<String> out = new ArrayList<>();
            Map<Integer, Snapshot> byAttempt = new HashMap<>();
            for (Snapshot s : all) {
                Snapshot before = byAttempt.putIfAbsent(s.attempt(), s);
                if (before != null) {
                    out.add("attempt %d at two snapshots: %s (cut after commit %d) and %s (cut after commit %d)".formatted(s.attempt(),
                            before.id(), before.cut(), s.id(), s.cut()));
                }
            }
            return out;
        }

        long firstCut() {
            return first == null ? -1 : first.cut();
        }

        /** The cut of the load {@code table}'s rows must reflect. */
        long cutOf(String table) {
            Snapshot s = lastByTable.get(table);
            return s != null ? s.cut() : firstCut();
        }

        Snapshot byId(String id) {
            return all.stream().filter(s -> s.id().equals(id)).findFirst().orElse(null);
        }

        String role(Snapshot s) {
            if (s == first) {
                return "first";
            }
            if (s.attempt() == 1) {
                return "ANOTHER FIRST ATTEMPT";
            }
            return first != null && s.cut() >= first.cut() ? "reload" : "reload of an abandoned load";
        }
    }

    /** Binlog points {@code file:pos} in binlog order. */
    static int comparePoints(String a, String b) {
        int ca = a.lastIndexOf(':');
        int cb = b.lastIndexOf(':');
        int byFile = a.substring(0, ca).compareTo(b.substring(0, cb));
        return byFile != 0 ? byFile : Long.compare(Long.parseLong(a.substring(ca + 1)), Long.parseLong(b.substring(cb + 1)));
    }

    static String table(String key) {
        return key.substring(0, key.indexOf(':'));
    }

    /** The snapshots of the load rows in {@code loads}; {@code cutAt} places a binlog point ({@code file:pos}) among the commits. */
    static Loads loads(Collection<Observation> loads, ToLongFunction<String> cutAt) {
        Map<String, Set<String>> tables = new LinkedHashMap<>();
        Map<String, Set<Identity>> rows = new HashMap<>();
        for (Observation o : loads) {
            if (o.load() && o.snapshot() != null) {
                tables.computeIfAbsent(o.snapshot(), s -> new TreeSet<>()).add(table(o.id().key()));
                rows.computeIfAbsent(o.snapshot(), s -> new HashSet<>()).add(o.id());
            }
        }
        List<Snapshot> all = new ArrayList<>();
        tables.forEach((id, t) -> {
            int tilde = id.indexOf('~');
            int attempt = tilde < 0 ? 1 : Integer.parseInt(id.substring(tilde + 1));
            all.add(new Snapshot(id, attempt, cutAt.applyAsLong(tilde < 0 ? id : id.substring(0, tilde)), t, rows.get(id).size()));
        });
        all.sort(Comparator.comparingLong(Snapshot::cut).thenComparing(Snapshot::point, Verdict::comparePoints)
                .thenComparingInt(Snapshot::attempt));
        Snapshot first = all.stream().filter(s -> s.attempt() == 1).findFirst().orElse(null);
        Map<String, Snapshot> last = new TreeMap<>();
        for (Snapshot s : all) {
            if (first != null && s.cut() >= first.cut() && (s == first || s.attempt() > 1)) {
                s.tables().forEach(t -> last.put(t, s));
            }
        }
        return new Loads(List.copyOf(all), first, last);
    }

    /**
     * Judges {@code seen} (in the sink's order) against {@code committed}, for a sink that gets every change that
     * {@code wanted} accepts. {@code strictPerGroup}: order must strictly increase per key within a group (S3 objects,
     * whose relative order is not defined); otherwise a change seen for the first time must come after the key's latest.
     */
    static Verdict judge(String sink, List<Observation> seen, List<Change> committed, Loads loads, Predicate<Change> wanted,
            boolean checkOrder, boolean strictPerGroup, boolean checkRows) {
        Verdict v = new Verdict(sink);
        v.observed = seen.size();
        Map<Identity, Change> byIdentity = new HashMap<>();
        Map<String, List<Change>> byKey = new HashMap<>();
        for (Change c : committed) {
            byIdentity.put(c.identity(), c);
            byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
        }

        Set<Identity> changed = new HashSet<>();
        /* the snapshots each row was loaded in ("" when the sink does not name them: CSV, SNS) */
        Map<Identity, Set<String>> loaded = new HashMap<>();
        Map<String, Long> maxRank = new HashMap<>();
        for (Observation o : seen) {
            Change c = byIdentity.get(o.id());
            if (c == null || !wanted.test(c)) {
                v.unknown++;
                v.example("never committed" + (c == null ? "" : " or not wanted") + ": " + o.id() + " in " + o.group());
                continue;
            }
            boolean firstTime = o.load() ? !loaded.containsKey(o.id()) : changed.add(o.id());
            if (!firstTime) {
                if (o.load()) {
                    v.dupLoad++;
                } else {
                    v.dup++;
                }
            }
            if (o.load()) {
                loaded.computeIfAbsent(o.id(), i -> new HashSet<>()).add(o.snapshot() == null ? "" : o.snapshot());
                Snapshot s = o.snapshot() == null ? null : loads.byId(o.snapshot());
                Change atCut = s == null ? null : stateAt(byKey.get(c.key()), s.cut());
                if (s != null && (atCut == null || !atCut.identity().equals(o.id()))) {
                    v.stale++;
                    v.example("load row " + o.id() + " of snapshot " + s.id() + " (cut after commit " + s.cut() + ") but the table then had "
                            + (atCut == null ? "no such row" : atCut.identity()) + " in " + o.group());
                }
            } else if (checkOrder) {
                String orderKey = strictPerGroup ? o.group() + "/" + o.id().key() : o.id().key();
                Long max = maxRank.get(orderKey);
                long rank = o.id().rank();
                boolean wrongOrder = max != null && (strictPerGroup ? rank <= max : firstTime && rank < max);
                if (wrongOrder) {
                    v.order++;
                    v.example("out of order: " + o.id() + " after version rank " + max + " in " + o.group());
                }
                maxRank.merge(orderKey, rank, Math::max);
            }
            if (checkRows && o.row() != null) {
                Map<String, String> want = Workload.norm(c.row(), o.row().keySet());
                Map<String, String> got = new TreeMap<>(o.row());
                for (String col : want.keySet()) {
                    got.putIfAbsent(col, null);
                }
                if (!want.equals(got)) {
                    v.wrong++;
                    v.example("wrong values for " + o.id() + " in " + o.group() + ": " + got + " but committed " + want);
                }
            }
        }

        for (Change c : committed) {
            if (c.seq() > loads.firstCut() && wanted.test(c)) {
                v.expected++;
                if (!changed.contains(c.identity())) {
                    v.lost++;
                    v.example("lost: " + c.op() + " " + c.identity() + " (commit " + c.seq() + ")");
                }
            }
        }
        for (List<Change> history : byKey.values()) {
            Change atCut = stateAt(history, loads.cutOf(table(history.get(0).key())));
            if (atCut == null || atCut.op() == Workload.Op.DELETE || !wanted.test(atCut)) {
                continue;
            }
            v.expected++;
            Snapshot s = loads.lastByTable().getOrDefault(table(atCut.key()), loads.first());
            Set<String> in = loaded.getOrDefault(atCut.identity(), Set.of());
            if (s == null ? in.isEmpty() : !in.contains(s.id()) && !in.contains("")) {
                v.lost++;
                v.example("lost from the full load" + (s == null ? "" : " " + s.id()) + ": " + atCut.identity() + " (commit " + atCut.seq() + ")");
            }
        }
        return v;
    }

    /** The key's last change at or before commit {@code cut} (null: none yet). */
    private static Change stateAt(List<Change> history, long cut) {
        Change out = null;
        for (Change c : history) {
            if (c.seq() > cut) {
                break;
            }
            out = c;
        }
        return out;
    }

    /** The CSV replay's end state against the table: a row missing, extra, at another version or with other values. */
    static void compareReplay(Verdict v, List<Observation> replay, Map<String, Map<String, String>> table) {
        Map<String, Map<String, String>> state = new HashMap<>();
        for (Observation o : replay) {
            if (o.id().delete()) {
                state.remove(o.id().key());
            } else {
                state.put(o.id().key(), o.row());
            }
        }
        v.mismatch = 0;
        Set<String> keys = new TreeSet<>(table.keySet());
        keys.addAll(state.keySet());
        for (String key : keys) {
            Map<String, String> want = table.get(key);
            Map<String, String> got = state.get(key);
            if (want == null || got == null || !want.equals(got)) {
                v.mismatch++;
                v.example("replayed " + key + " = " + got + " but the table has " + want);
            }
        }
    }

    private void example(String text) {
        if (examples.size() < 8) {
            examples.add(text);
        }
    }

    boolean failed() {
        return lost > 0 || order > 0 || unknown > 0 || wrong > 0 || stale > 0 || mismatch > 0;
    }

    String line() {
        return "sink=%s lost=%d dup=%d dup-load=%d order=%d unknown=%d wrong=%d stale=%d observed=%d expected=%d%s".formatted(sink, lost,
                dup, dupLoad, order, unknown, wrong, stale, observed, expected, mismatch < 0 ? "" : " replay-mismatch=" + mismatch);
    }
}
