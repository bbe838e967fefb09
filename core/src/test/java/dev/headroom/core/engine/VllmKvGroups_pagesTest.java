package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.memory.MemoryModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vLLM's pages (vllm/v1/core/kv_cache_utils.py, kv_cache_interface.py): full layers need a block per block_size tokens,
 * sliding layers their window plus one step and a spare block, recurrent layers one state; the hybrid allocator
 * groups layers by kind in groups of equal size, and the tokens line follows the release.
 */
class VllmKvGroups_pagesTest {
    @Test
    void should_count_the_blocks_a_request_takes_in_each_kind_of_group() {
        // two full groups, one sliding group of window 1,024 and one state group; blocks of 16; 2,048 tokens per step
        VllmKvGroups g = new VllmKvGroups(16, 1000, 4, List.of(VllmKvGroups.FULL, VllmKvGroups.FULL, 1024, VllmKvGroups.STATE), 2048);

        // 10,000 tokens: full ceil(10,000 / 16) = 625 each; sliding ceil(min(1,023 + 2,048, 10,000) / 16) + 1 = 193; state 1
        assertEquals(625 + 625 + 193 + 1, g.blocksFor(10_000));
        // 100 tokens: full 7 each; sliding ceil(100 / 16) + 1 = 8; state 1
        assertEquals(7 + 7 + 8 + 1, g.blocksFor(100));
        assertEquals(4000, g.blockBytes(), "a block index spans 4 layers of 1,000 B");
        assertEquals(2, g.blocks(8999));
        assertEquals(0, g.blocks(0));
        assertEquals(0, g.blocks(-5));
    }

    @Test
    void should_report_the_pools_tokens_by_the_releases_formula() {
        VllmKvGroups g = new VllmKvGroups(16, 1000, 1, List.of(VllmKvGroups.FULL, VllmKvGroups.FULL), 2048);

        assertEquals(1000 * 16, g.tokensLine(1000, VllmRelease.TokensLine.BLOCKS, 4096));
        assertEquals(1000 / 2 * 16, g.tokensLine(1000, VllmRelease.TokensLine.BLOCKS_PER_GROUP, 4096));
        // a 4,096-token request takes 2 x 256 blocks: 1,000 / 512 x 4,096 = 8,000
        assertEquals(8000, g.tokensLine(1000, VllmRelease.TokensLine.CONCURRENCY_TIMES_LENGTH, 4096));
    }

    @Test
    void should_page_a_dense_model_as_one_uniform_group() {
        RankFacts r = MemoryModel.compile(Catalog.profile("llama-3.1-8b"), Deployment.on(Catalog.gpu("h100-sxm"))).stages().get(0).rank();

        VllmKvGroups uniform = VllmKvGroups.uniform(r.kv(), 16, 8192);
        VllmKvGroups hybrid = VllmKvGroups.hybrid(r.kv(), null, 8192);

        // 16 tokens x 131,072 B over all 32 layers; the hybrid allocator finds one kind and does the same
        assertEquals(16L * 131_072, uniform.blockBytes());
        assertEquals(List.of(VllmKvGroups.FULL), uniform.groups());
        assertEquals(uniform.blockBytes(), hybrid.blockBytes());
        assertEquals(16, hybrid.blockSize());
        assertEquals(List.of(VllmKvGroups.FULL), hybrid.groups());
        assertEquals(32, VllmKvGroups.hybrid(r.kv(), 32, 8192).blockSize(), "a block size as set");
    }

    @Test
    void should_group_gemma_3s_sliding_and_full_layers_in_groups_of_equal_size() {
        // Gemma-3-27B: 62 layers, every sixth full (10), the rest sliding over 1,024 tokens (52): 52 >= 1.5 x 10, so groups
        // of 10 layers: 1 full group and ceil(52 / 10) = 6 sliding groups; a page is 16 tokens of one layer's KV
        RankFacts r = MemoryModel.compile(Catalog.profile("gemma-3-27b-it"), Deployment.on(Catalog.gpu("h200"))).stages().get(0).rank();

        VllmKvGroups g = VllmKvGroups.hybrid(r.kv(), null, 8192);

        assertEquals(10, g.groupSize());
        assertEquals(List.of(VllmKvGroups.FULL, 1024, 1024, 1024, 1024, 1024, 1024), g.groups());
        // one layer's KV per token: K and V x 16 KV heads x 128 dims x 2 B = 8,192 B
        assertEquals(16L * 8192, g.pageBytes());
        assertEquals(10L * 16 * 8192, g.blockBytes());
    }
}
