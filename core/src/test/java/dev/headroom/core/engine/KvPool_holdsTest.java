package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.Bytes;
import org.junit.jupiter.api.Test;

/** What a pool holds by its engine's own accounting: requests of a length, the longest request, what it lacks to start. */
class KvPool_holdsTest {
    private static final KvPool.Charges CHARGES = new KvPool.Charges(10, 20, 30, 40);

    /** 1,000 blocks of 16 tokens (16,000 tokens), max length 4,096, 256 sequences, paged. */
    private static KvPool paged(long kvBytes, Refusal refusal) {
        return new KvPool(CHARGES, 1000, 900, kvBytes, 16_000, 1000, 16, 4096, 256, KvPool.Demand.pages(16), refusal);
    }

    @Test
    void should_count_requests_in_whole_blocks() {
        KvPool p = paged(500, null);

        // a 100-token request takes ceil(100 / 16) = 7 blocks: 1000 / 7 = 142.86 at once, 142 whole
        assertEquals(1000.0 / 7, p.concurrency(100), 1e-12);
        assertEquals(142, p.sequencesOf(100));
        assertEquals(1000 / 1, p.sequencesOf(16), "exactly one block");
        assertEquals(1000 / 2, p.sequencesOf(17), "one token into the second block");
        // at its max length of 4,096 tokens: 256 blocks each
        assertEquals(1000.0 / 256, p.maxConcurrency(), 1e-12);
        assertEquals(0, p.concurrency(0));
        assertEquals(0, p.sequencesOf(0));
        assertEquals(0, paged(0, null).concurrency(100), "no pool, no requests");
        assertEquals(0, paged(0, null).sequencesOf(100));
        assertEquals(7, KvPool.Demand.pages(16).blocksFor(100));
        assertEquals(100, KvPool.Demand.TOKENS.blocksFor(100));
    }

    @Test
    void should_find_the_longest_request_whose_blocks_fit() {
        KvPool p = paged(500, null);

        // 1,000 blocks of 16: 16,000 tokens, capped by what is asked
        assertEquals(16_000, p.longestRequest(100_000));
        assertEquals(4096, p.longestRequest(4096));
        assertEquals(1, p.longestRequest(1));
        assertEquals(0, paged(0, null).longestRequest(4096));
        KvPool empty = new KvPool(CHARGES, 1000, 900, 500, 0, 0, 16, 4096, 256, KvPool.Demand.pages(16), null);
        assertEquals(0, empty.longestRequest(4096), "not even one block");
        KvPool tokens = new KvPool(CHARGES, 1000, 900, 500, 777, 777, 1, 4096, 256, KvPool.Demand.TOKENS, null);
        assertEquals(777, tokens.longestRequest(4096));
        assertEquals(777, tokens.longestRequest(778), "one more token than the pool holds");
    }

    @Test
    void should_add_its_charges_and_pool_and_say_what_it_lacks_to_start() {
        KvPool p = paged(500, null);
        assertEquals(10 + 20 + 30 + 40, CHARGES.total());
        assertEquals(10 + 20 + 30 + 40 + 5, new KvPool.Charges(10, 20, 30, 40, 5).total());
        assertEquals(100 + 500, p.totalBytes());
        assertEquals(10, p.weightsBytes());
        assertEquals(20, p.activationBytes());
        assertEquals(30, p.overheadBytes());
        assertEquals(40, p.cudaGraphBytes());
        assertTrue(p.starts());
        assertEquals(0, p.shortfallBytes());

        Refusal r = new Refusal("the weights exceed the budget", "gpu_memory_utilization", "raise it", 3 * Bytes.GIB);
        KvPool refused = paged(0, r);
        assertTrue(!refused.starts());
        assertEquals(3 * Bytes.GIB, refused.shortfallBytes());
        assertEquals("the weights exceed the budget (3.00 GiB short); raise it (gpu_memory_utilization)", r.describe());
        assertEquals("a; b (k)", new Refusal("a", "k", "b", 0).describe());
        assertThrows(IllegalArgumentException.class, () -> new Refusal("a", "k", "b", -1));
    }

    @Test
    void should_refuse_a_pool_with_impossible_sizes() {
        assertThrows(IllegalArgumentException.class,
                () -> new KvPool(CHARGES, 1, 1, 1, 1, 1, 0, 1, 1, KvPool.Demand.TOKENS, null));
        assertThrows(IllegalArgumentException.class,
                () -> new KvPool(CHARGES, 1, 1, 1, 1, -1, 1, 1, 1, KvPool.Demand.TOKENS, null));
        assertThrows(IllegalArgumentException.class,
                () -> new KvPool(CHARGES, 1, 1, 1, -1, 1, 1, 1, 1, KvPool.Demand.TOKENS, null));
        assertThrows(IllegalArgumentException.class,
                () -> new KvPool(CHARGES, 1, 1, -1, 1, 1, 1, 1, 1, KvPool.Demand.TOKENS, null));
    }
}
