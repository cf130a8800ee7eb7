package io.changepipe.crash;

import io.changepipe.crash.SinkContents.Observation;
import io.changepipe.crash.Workload.Change;
import io.changepipe.crash.Workload.Identity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * One sink's observations judged against what the writer committed.
 *
 * <p>Full loads: each snapshot's cut is estimated from its load rows (the latest commit among the row versions it
 * holds); changes committed up to the first cut are only in loads. A change after the last cut must be in the sink
 * (lost otherwise), as must every row state at the last cut. A change between the first and the last cut that is
 * missing was folded into a later reload ({@code collapsed}: counted, not a failure). A delete so close to the last cut
 * that the cut cannot tell whether it came before (its key missing from that load) counts as present.
 */
final class Verdict {

    final String sink;
    int observed;
    int expected;
    int lost;
    int dup;
    int collapsed;
    int order;
    int unknown;
    int wrong;
    /** CSV only: keys whose replayed row differs from the table (-1: not a replayed sink). */
    int mismatch = -1;
    final List<String> examples = new ArrayList<>();

    private Verdict(String sink) {
        this.sink = sink;
    }

    /** Full-load snapshots seen in the sinks, by id: the cut range (lower bound, exclusive upper bound) and its keys. */
    record Snapshot(String id, long low, long high, Set<String> keys) {
    }

    static Map<String, Snapshot> snapshots(Collection<Observation> loads, Map<Identity, Change> byIdentity, Map<String, List<Change>> byKey) {
        Map<String, long[]> bounds = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new HashMap<>();
        for (Observation o : loads) {
            if (!o.load() || o.snapshot() == null) {
                continue;
            }
            Change c = byIdentity.get(o.id());
            if (c == null) {
                continue;
            }
            long[] b = bounds.computeIfAbsent(o.snapshot(), s -> new long[] {0, Long.MAX_VALUE});
            b[0] = Math.max(b[0], c.seq());
            for (Change next : byKey.get(c.key())) {
                if (next.seq() > c.seq()) {
                    b[1] = Math.min(b[1], next.seq());
                    break;
                }
            }
            keys.computeIfAbsent(o.snapshot(), s -> new HashSet<>()).add(o.id().key());
        }
        Map<String, Snapshot> out = new LinkedHashMap<>();
        bounds.forEach((id, b) -> out.put(id, new Snapshot(id, b[0], b[1], keys.get(id))));
        return out;
    }

    /**
     * Judges {@code seen} (in the sink's order) against {@code committed}, for a sink that gets every change that
     * {@code wanted} accepts. {@code strictPerGroup}: order must strictly increase per key within a group (S3 objects,
     * whose relative order is not defined); otherwise a change seen for the first time must come after the key's latest.
     */
    static Verdict judge(String sink, List<Observation> seen, List<Change> committed, Collection<Snapshot> snapshots,
            Predicate<Change> wanted, boolean checkOrder, boolean strictPerGroup, boolean checkRows) {
        Verdict v = new Verdict(sink);
        v.observed = seen.size();
        Map<Identity, Change> byIdentity = new HashMap<>();
        committed.forEach(c -> byIdentity.put(c.identity(), c));
        Set<String> columnsNow = new TreeSet<>();
        committed.forEach(c -> columnsNow.addAll(c.row().keySet()));

        Set<Identity> present = new HashSet<>();
        Map<String, Long> maxRank = new HashMap<>();
        for (Observation o : seen) {
            Change c = byIdentity.get(o.id());
            if (c == null || !wanted.test(c)) {
                v.unknown++;
                v.example("never committed" + (c == null ? "" : " or not wanted") + ": " + o.id() + " in " + o.group());
                continue;
            }
            boolean first = present.add(o.id());
            if (!first) {
                v.dup++;
            }
            if (checkOrder) {
                String orderKey = strictPerGroup ? o.group() + "/" + o.id().key() : o.id().key();
                Long max = maxRank.get(orderKey);
                long rank = o.id().rank();
                boolean wrongOrder = strictPerGroup ? max != null && rank <= max : first && max != null && rank < max;
                if (wrongOrder) {
                    v.order++;
                    v.example("out of order: " + o.id() + " after version rank " + max + " in " + o.group());
                }
                maxRank.merge(orderKey, rank, Math::max);
            }
            if (checkRows && o.row() != null) {
                Map<String, String> want = Workload.norm(c.row(), o.row().keySet());
                Map<String, String> got = new java.util.TreeMap<>(o.row());
                for (String col : want.keySet()) {
                    got.putIfAbsent(col, null);
                }
                if (!want.equals(got)) {
                    v.wrong++;
                    v.example("wrong values for " + o.id() + " in " + o.group() + ": " + got + " but committed " + want);
                }
            }
        }

        Snapshot last = snapshots.stream().max(java.util.Comparator.comparingLong(Snapshot::low)).orElse(null);
        long firstCut = snapshots.stream().mapToLong(Snapshot::low).min().orElse(0);
        long lastCut = last == null ? 0 : last.low();
        Map<String, Change> stateAtLastCut = new HashMap<>();
        for (Change c : committed) {
            if (c.seq() <= lastCut) {
                stateAtLastCut.put(c.key(), c);
            }
            boolean folded = last != null && c.op() == Workload.Op.DELETE && c.seq() > last.low() && c.seq() < last.high()
                    && !last.keys().contains(c.key());
            if (c.seq() <= lastCut || folded || !wanted.test(c)) {
                if (c.seq() > firstCut && c.seq() <= lastCut && wanted.test(c) && !present.contains(c.identity())) {
                    v.collapsed++;
                }
                continue;
            }
            v.expected++;
            if (!present.contains(c.identity())) {
                v.lost++;
                v.example("lost: " + c.op() + " " + c.identity() + " (commit " + c.seq() + ")");
            }
        }
        for (Change c : stateAtLastCut.values()) {
            boolean deletedAtCut = c.op() == Workload.Op.DELETE;
            boolean deletedNearCut = last != null && !last.keys().contains(c.key()) && committed.stream().anyMatch(d -> d.key().equals(c.key())
                    && d.op() == Workload.Op.DELETE && d.seq() > last.low() && d.seq() < last.high());
            if (deletedAtCut || deletedNearCut || !wanted.test(c)) {
                continue;
            }
            v.expected++;
            if (!present.contains(c.identity())) {
                v.lost++;
                v.example("lost from the last full load: " + c.identity() + " (commit " + c.seq() + ")");
            }
        }
        return v;
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
        return lost > 0 || order > 0 || unknown > 0 || wrong > 0 || mismatch > 0;
    }

    String line() {
        return "sink=%s lost=%d dup=%d collapsed=%d order=%d unknown=%d wrong=%d observed=%d expected=%d%s".formatted(sink, lost, dup,
                collapsed, order, unknown, wrong, observed, expected, mismatch < 0 ? "" : " replay-mismatch=" + mismatch);
    }
}
