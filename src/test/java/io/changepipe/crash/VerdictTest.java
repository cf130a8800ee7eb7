package io.changepipe.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.crash.SinkContents.Observation;
import io.changepipe.crash.Workload.Change;
import io.changepipe.crash.Workload.Identity;
import io.changepipe.crash.Workload.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The crash test's judge on hand-made histories: it must see a lost change, a duplicate, a reorder, a stale replay. */
class VerdictTest {

    /** Key t:1 seeded at v1 (commit 0), then updated to v2 (1), v3 (2), deleted (3); key t:2 inserted at v1 (2). */
    static final List<Change> HISTORY = List.of(change(0, "t:1", Op.INSERT, 1), change(1, "t:1", Op.UPDATE, 2),
            change(2, "t:1", Op.UPDATE, 3), change(2, "t:2", Op.INSERT, 1), change(3, "t:1", Op.DELETE, 3));

    static Change change(long seq, String key, Op op, long v) {
        return new Change(seq, key, op, v, Map.of("id", (long) Integer.parseInt(key.substring(2)), "v", v));
    }

    static Observation load(String key, long v) {
        return new Observation(new Identity(key, false, v), true, "snap", "shard", null);
    }

    static Observation cdc(String key, boolean delete, long v) {
        return new Observation(new Identity(key, delete, v), false, null, "shard", null);
    }

    static Verdict judge(List<Observation> seen) {
        Map<Identity, Change> byIdentity = new HashMap<>();
        Map<String, List<Change>> byKey = new HashMap<>();
        HISTORY.forEach(c -> {
            byIdentity.put(c.identity(), c);
            byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);
        });
        return Verdict.judge("test", seen, HISTORY, Verdict.snapshots(seen, byIdentity, byKey).values(), c -> true, true, false, false);
    }

    @Test
    void everyChangeAfterTheLoadOnceIsNothingLost() {
        Verdict v = judge(List.of(load("t:1", 1), cdc("t:1", false, 2), cdc("t:1", false, 3), cdc("t:2", false, 1), cdc("t:1", true, 3)));
        assertEquals(List.of(0, 0, 0, 0, 5), List.of(v.lost, v.dup, v.order, v.unknown, v.expected), v.line());
        assertTrue(!v.failed());
    }

    @Test
    void aMissingChangeIsLostAndARepeatedOneADuplicate() {
        Verdict v = judge(List.of(load("t:1", 1), cdc("t:1", false, 2), cdc("t:2", false, 1), cdc("t:1", false, 2), cdc("t:1", true, 3)));
        assertEquals(List.of(1, 1, 0), List.of(v.lost, v.dup, v.order), v.line());
        assertTrue(v.failed());
    }

    @Test
    void aChangeFirstSeenAfterALaterOneIsOutOfOrder() {
        Verdict v = judge(List.of(load("t:1", 1), cdc("t:1", false, 3), cdc("t:1", false, 2), cdc("t:2", false, 1), cdc("t:1", true, 3)));
        assertEquals(List.of(0, 1), List.of(v.lost, v.order), v.line());
    }

    @Test
    void changesBeforeTheLoadsCutAreInTheLoadAndARowOfTheCutMissingFromItIsLost() {
        Verdict v = judge(List.of(load("t:1", 3), cdc("t:1", true, 3)));
        assertEquals(List.of(1, 3), List.of(v.lost, v.expected), v.line() + " " + v.examples);
        assertTrue(v.examples.get(0).contains("t:2"), v.examples.toString());
    }

    @Test
    void aChangeNeverCommittedIsUnknown() {
        Verdict v = judge(List.of(load("t:1", 1), cdc("t:1", false, 2), cdc("t:1", false, 3), cdc("t:2", false, 1), cdc("t:1", true, 3),
                cdc("t:3", false, 1)));
        assertEquals(1, v.unknown, v.line());
    }

    @Test
    void aReplayEndingElsewhereThanTheTableIsAMismatch() {
        Verdict v = judge(List.of());
        List<Observation> replay = List.of(new Observation(new Identity("t:2", false, 1), false, null, "csv", Map.of("id", "2", "v", "1")));
        Verdict.compareReplay(v, replay, Map.of("t:2", Map.of("id", "2", "v", "2")));
        assertEquals(1, v.mismatch, v.line());
    }
}
