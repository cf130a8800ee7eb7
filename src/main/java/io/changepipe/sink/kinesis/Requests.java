package io.changepipe.sink.kinesis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;

/**
 * How a write's records become PutRecords requests. Order per key: the n-th record of each partition key goes in
 * round n, so a request never holds two records of one key, and round n+1 is sent only once round n is answered
 * (a key whose record failed is held back from then on). Within a round, requests split by count and bytes.
 */
final class Requests {

    /** One record ready to send: its place in the write, its key and data, and its size as AWS counts it (data + key). */
    record Entry(int index, String key, SdkBytes data, long size) {
    }

    private Requests() {
    }

    /** The n-th record of each key in round n; every round keeps the write's order. */
    static List<List<Entry>> rounds(List<Entry> entries) {
        Map<String, Integer> seen = new HashMap<>();
        List<List<Entry>> rounds = new ArrayList<>();
        for (Entry e : entries) {
            int round = seen.merge(e.key(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(e);
        }
        return rounds;
    }

    /**
     * Splits one round into requests of at most {@code maxRecords} records and {@code maxBytes} bytes (a record larger
     * than that goes alone), aiming at {@code parts} requests of similar counts so they can travel side by side.
     */
    static List<List<Entry>> split(List<Entry> round, int maxRecords, long maxBytes, int parts) {
        int target = Math.min(maxRecords, Math.max(1, (round.size() + parts - 1) / Math.max(1, parts)));
        List<List<Entry>> requests = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        long bytes = 0;
        for (Entry e : round) {
            if (!current.isEmpty() && (current.size() >= target || bytes + e.size() > maxBytes)) {
                requests.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(e);
            bytes += e.size();
        }
        if (!current.isEmpty()) {
            requests.add(current);
        }
        return requests;
    }
}
