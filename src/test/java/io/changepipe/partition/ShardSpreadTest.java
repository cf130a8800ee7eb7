package io.changepipe.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.changepipe.definition.PartitionKeyDef;
import io.changepipe.event.ChangeEvent;
import io.changepipe.event.Op;
import io.changepipe.event.Row;
import io.changepipe.event.SourcePosition;
import io.changepipe.event.TableId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Where keys land on a 4-shard stream, computed as Kinesis does: MD5 of the key as a 128-bit unsigned integer. */
class ShardSpreadTest {

    static final int SHARDS = 4;
    static final BigInteger SPAN = BigInteger.ONE.shiftLeft(128).divide(BigInteger.valueOf(SHARDS));

    /** The shard whose evenly split hash-key range [i*SPAN, (i+1)*SPAN - 1] holds MD5(key). */
    static int shard(String key) {
        try {
            BigInteger hash = new BigInteger(1, MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8)));
            return hash.divide(SPAN).intValueExact();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<Integer, Long> spread(PartitionKeyDef def) {
        PartitionKeyStrategy keys = PartitionKeys.of(def);
        TableId invoices = new TableId("democustomer", "invoices");
        Function<Long, String> key = id -> keys.key(ChangeEvent.of(Op.INSERT, invoices, Row.of("id", id), null, List.of("id"),
                new SourcePosition.Sequence(id)));
        return LongStream.rangeClosed(1, 1000).boxed().map(key).collect(Collectors.groupingBy(ShardSpreadTest::shard, TreeMap::new,
                Collectors.counting()));
    }

    @Test
    void primaryKeysSpreadOverEveryShard() {
        assertEquals("democustomer.invoices.1", PartitionKeys.of(new PartitionKeyDef.PrimaryKey(true)).key(ChangeEvent.of(Op.INSERT,
                new TableId("democustomer", "invoices"), Row.of("id", 1L), null, List.of("id"), new SourcePosition.Sequence(1))));
        Map<Integer, Long> perShard = spread(new PartitionKeyDef.PrimaryKey(true));
        assertEquals(List.of(0, 1, 2, 3), List.copyOf(perShard.keySet()), perShard.toString());
        perShard.values().forEach(n -> assertTrue(n > 200 && n < 300, "about 250 keys a shard: " + perShard));
    }

    @Test
    void schemaTableAndConstantKeysAllLandOnOneShard() {
        assertEquals(1, spread(new PartitionKeyDef.SchemaTable()).size());
        Map<Integer, Long> constant = spread(new PartitionKeyDef.Constant("everything"));
        assertEquals(Map.of(shard("everything"), 1000L), constant);
    }

    @Test
    void theRangesCoverTheWholeHashSpace() {
        assertEquals(BigInteger.ONE.shiftLeft(128), SPAN.multiply(BigInteger.valueOf(SHARDS)));
        assertEquals(3, shard(""), "MD5('') = d41d8cd9..., top two bits 11: the last quarter");
    }
}
