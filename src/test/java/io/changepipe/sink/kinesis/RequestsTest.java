package io.changepipe.sink.kinesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.sink.kinesis.Requests.Entry;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

/** Rounds keep one record of a key per request, in key order; splits keep AWS's limits. */
class RequestsTest {

    static Entry entry(int index, String key, long size) {
        return new Entry(index, key, SdkBytes.fromUtf8String("x"), size);
    }

    static List<Integer> indexes(List<Entry> entries) {
        return entries.stream().map(Entry::index).toList();
    }

    @Test
    void theNthRecordOfEachKeyGoesInRoundN() {
        List<Entry> write = List.of(entry(0, "a", 1), entry(1, "b", 1), entry(2, "a", 1), entry(3, "c", 1), entry(4, "a", 1), entry(5, "b", 1));
        List<List<Entry>> rounds = Requests.rounds(write);
        assertEquals(List.of(List.of(0, 1, 3), List.of(2, 5), List.of(4)), rounds.stream().map(RequestsTest::indexes).toList());
    }

    @Test
    void aRoundSplitsIntoAboutTheAskedNumberOfRequestsWithinTheCountLimit() {
        List<Entry> round = IntStream.range(0, 1001).mapToObj(i -> entry(i, "k" + i, 10)).toList();
        assertEquals(List.of(500, 500, 1), Requests.split(round, 500, 5 << 20, 1).stream().map(List::size).toList());
        assertEquals(List.of(126, 126, 126, 126, 126, 126, 126, 119), Requests.split(round, 500, 5 << 20, 8).stream().map(List::size).toList());
        assertEquals(List.of(100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 1), Requests.split(round, 100, 5 << 20, 1).stream().map(List::size).toList());
    }

    @Test
    void bytesCloseARequestBeforeTheLimitAndAnOversizedRecordGoesAlone() {
        long mib = 1 << 20;
        List<Entry> round = List.of(entry(0, "a", mib), entry(1, "b", mib), entry(2, "c", mib), entry(3, "d", mib), entry(4, "e", mib),
                entry(5, "f", 1), entry(6, "g", 6 * mib), entry(7, "h", 1));
        List<List<Entry>> requests = Requests.split(round, 500, 5 * mib, 1);
        assertEquals(List.of(List.of(0, 1, 2, 3, 4), List.of(5), List.of(6), List.of(7)), requests.stream().map(RequestsTest::indexes).toList());
        requests.stream().filter(r -> r.size() > 1).forEach(r -> assertTrue(r.stream().mapToLong(Entry::size).sum() <= 5 * mib));
    }
}
