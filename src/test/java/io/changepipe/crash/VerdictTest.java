package io.changepipe.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.crash.SinkContents.Observation;
import io.changepipe.crash.Workload.Change;
import io.changepipe.crash.Workload.Identity;
import io.changepipe.crash.Workload.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The crash test's judge on hand-made histories: it must see a lost change, a duplicate, a reorder, a stale replay, a
 * load row of the wrong version, and accept what a resumed full load legitimately does.
 */
class VerdictTest {

    /**
     * Commit 0 creates t:1, t:2 and u:1 at v1; t:1 is updated to v2 (commit 1), v3 (2) and deleted (3); u:1 is updated
     * to v2 (2); t:3 is inserted (4).
     */
    static final List<Change> HISTORY = List.of(change(0, "t:1", Op.INSERT, 1), change(0, "t:2", Op.INSERT, 1), change(0, "u:1", Op.INSERT, 1),
            change(1, "t:1", Op.UPDATE, 2), change(2, "t:1", Op.UPDATE, 3), change(2, "u:1", Op.UPDATE, 2), change(3, "t:1", Op.DELETE, 3),
            change(4, "t:3", Op.INSERT, 1));

    /** Snapshot points: f:100 after commit 0, f:200 after commit 2, f:50 also after commit 0 (an earlier one). */
    static final Map<String, Long> CUTS = Map.of("f:50", 0L, "f:100", 0L, "f:200", 2L);

    static Change change(long seq, String key, Op op, long v) {
        return new Change(seq, key, op, v, Map.of("id", (long) Integer.parseInt(key.substring(2)), "v", v));
    }

    static Observation load(String snapshot, String key, long v) {
        return new Observation(new Identity(key, false, v), true, snapshot, "shard", null);
    }

    static Observation cdc(String key, boolean delete, long v) {
        return new Observation(new Identity(key, delete, v), false, null, "shard", null);
    }

    /** What CDC from the first snapshot (after commit 0) sends. */
    static final List<Observation> CHANGES = List.of(cdc("t:1", false, 2), cdc("t:1", false, 3), cdc("u:1", false, 2), cdc("t:1", true, 3),
            cdc("t:3", false, 1));

    static List<Observation> concat(List<Observation> a, List<Observation> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    static Verdict judge(List<Observation> seen) {
        return Verdict.judge("test", seen, HISTORY, Verdict.loads(seen, CUTS::get), c -> true, true, false, false);
    }

    @Test
    void everyChangeAfterTheLoadOnceIsNothingLost() {
        Verdict v = judge(concat(List.of(load("f:100", "t:1", 1), load("f:100", "t:2", 1), load("f:100", "u:1", 1)), CHANGES));
        assertEquals(List.of(0, 0, 0, 0, 0, 8), List.of(v.lost, v.dup, v.order, v.unknown, v.stale, v.expected), v.line());
        assertFalse(v.failed());
    }

    @Test
    void aMissingChangeIsLostAndARepeatedOneADuplicate() {
        Verdict v = judge(List.of(load("f:100", "t:1", 1), load("f:100", "t:2", 1), load("f:100", "u:1", 1), cdc("t:1", false, 2),
                cdc("u:1", false, 2), cdc("t:1", false, 2), cdc("t:1", true, 3), cdc("t:3", false, 1)));
        assertEquals(List.of(1, 1, 0), List.of(v.lost, v.dup, v.order), v.line());
        assertTrue(v.failed());
    }

    @Test
    void aChangeFirstSeenAfterALaterOneIsOutOfOrder() {
        Verdict v = judge(List.of(load("f:100", "t:1", 1), load("f:100", "t:2", 1), load("f:100", "u:1", 1), cdc("t:1", false, 3),
                cdc("t:1", false, 2), cdc("u:1", false, 2), cdc("t:1", true, 3), cdc("t:3", false, 1)));
        assertEquals(List.of(0, 1), List.of(v.lost, v.order), v.line());
    }

    @Test
    void aRowOfTheSnapshotMissingFromItsLoadIsLost() {
        Verdict v = judge(concat(List.of(load("f:100", "t:1", 1), load("f:100", "u:1", 1)), CHANGES));
        assertEquals(1, v.lost, v.line() + " " + v.examples);
        assertTrue(v.examples.get(0).contains("t:2"), v.examples.toString());
    }

    @Test
    void aLoadRowAtAnotherVersionThanItsSnapshotIsStale() {
        Verdict v = judge(concat(List.of(load("f:100", "t:1", 2), load("f:100", "t:2", 1), load("f:100", "u:1", 1)), CHANGES));
        assertEquals(1, v.stale, v.line() + " " + v.examples);
        assertTrue(v.failed());
    }

    @Test
    void aChangeNeverCommittedIsUnknown() {
        Verdict v = judge(concat(concat(List.of(load("f:100", "t:1", 1), load("f:100", "t:2", 1), load("f:100", "u:1", 1)), CHANGES),
                List.of(cdc("t:4", false, 1))));
        assertEquals(1, v.unknown, v.line());
    }

    /** u delivered by the first load, t interrupted (after t:1, t:2) and reloaded at f:200 (after commit 2), CDC from f:100. */
    static final List<Observation> RELOADED = List.of(load("f:100", "u:1", 1), load("f:100", "t:1", 1), load("f:100", "t:2", 1),
            load("f:200~2", "t:1", 3), load("f:200~2", "t:2", 1));

    @Test
    void aReloadFollowedByTheChangesSinceTheFirstSnapshotIsComplete() {
        Verdict v = judge(concat(RELOADED, CHANGES));
        // the changes between the snapshots (t:1 v2, v3) come after the reloaded row t:1 v3: allowed
        assertEquals(List.of(0, 0, 0, 0), List.of(v.lost, v.order, v.unknown, v.stale), v.line() + " " + v.examples);
        assertEquals(List.of(0, 1), List.of(v.dup, v.dupLoad), v.line()); // t:2 v1 in both loads
        Verdict.Loads loads = Verdict.loads(RELOADED, CUTS::get);
        assertEquals("f:100", loads.first().id());
        assertEquals(Map.of("t", "f:200~2", "u", "f:100"), Map.of("t", loads.lastByTable().get("t").id(), "u", loads.lastByTable().get("u").id()));
    }

    @Test
    void aChangeBetweenTheFirstSnapshotAndTheReloadIsLostWhenCdcStartsAtTheReload() {
        // CDC from f:200 (after commit 2) instead of the first snapshot: t:1 v2, v3 and u:1 v2 are never sent as changes
        // (t:1 v3 is a reloaded row, which does not stand for the change; u:1 v2 is in no load at all)
        Verdict v = judge(concat(RELOADED, List.of(cdc("t:1", true, 3), cdc("t:3", false, 1))));
        assertEquals(3, v.lost, v.line() + " " + v.examples);
        assertTrue(v.examples.stream().anyMatch(e -> e.contains("u:1")), v.examples.toString());
    }

    @Test
    void aReloadedTablesRowMustBeInTheReload() {
        // t:2 only in the interrupted first attempt, not in the reload
        Verdict v = judge(concat(List.of(load("f:100", "u:1", 1), load("f:100", "t:1", 1), load("f:100", "t:2", 1), load("f:200~2", "t:1", 3)),
                CHANGES));
        assertEquals(1, v.lost, v.line() + " " + v.examples);
        assertTrue(v.examples.get(0).contains("t:2") && v.examples.get(0).contains("f:200~2"), v.examples.toString());
    }

    @Test
    void changesAmongThemselvesKeepTheirOrderAfterAReload() {
        Verdict v = judge(concat(RELOADED, List.of(cdc("t:1", false, 3), cdc("t:1", false, 2), cdc("u:1", false, 2), cdc("t:1", true, 3),
                cdc("t:3", false, 1))));
        assertEquals(1, v.order, v.line());
    }

    @Test
    void theFirstSnapshotIsTheEarliestFirstAttemptAndASecondOneIsAFault() {
        Verdict.Loads loads = Verdict.loads(List.of(load("f:50", "t:1", 1), load("f:100", "t:1", 1), load("f:100", "t:2", 1),
                load("f:100", "u:1", 1)), CUTS::get);
        assertEquals("f:50", loads.first().id());
        assertEquals(2, loads.all().size());
        assertEquals(1, loads.faults().size(), loads.faults().toString());
        assertEquals(List.of(), Verdict.loads(RELOADED, CUTS::get).faults());
    }

    @Test
    void oneAttemptAtTwoSnapshotsIsAFault() {
        // a reload restarted after a crash before its start was stored numbers itself like the one before
        Verdict.Loads loads = Verdict.loads(concat(RELOADED, List.of(load("f:300~2", "t:1", 3))), p -> CUTS.getOrDefault(p, 3L));
        assertTrue(loads.faults().size() == 1 && loads.faults().get(0).contains("attempt 2"), loads.faults().toString());
    }

    @Test
    void aReplayEndingElsewhereThanTheTableIsAMismatch() {
        Verdict v = judge(List.of());
        List<Observation> replay = List.of(new Observation(new Identity("t:2", false, 1), false, null, "csv", Map.of("id", "2", "v", "1")));
        Verdict.compareReplay(v, replay, Map.of("t:2", Map.of("id", "2", "v", "2")));
        assertEquals(1, v.mismatch, v.line());
    }
}
