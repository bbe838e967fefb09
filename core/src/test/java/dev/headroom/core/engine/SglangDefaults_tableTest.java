package dev.headroom.core.engine;

import static dev.headroom.core.engine.SglangDefaults.BY_TP_081;
import static dev.headroom.core.engine.SglangDefaults.BY_TP_083;
import static dev.headroom.core.engine.SglangDefaults.RESERVED_BY_BUFFERS;
import static dev.headroom.core.engine.SglangDefaults.RESERVED_BY_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.headroom.core.base.Bytes;
import org.junit.jupiter.api.Test;

/**
 * SGLang's defaults by release, read off server_args.py at each revision (SglangDefaults cites them), at each
 * threshold and one MiB below it. Capacities are nvidia-smi MiB.
 */
class SglangDefaults_tableTest {
    private static long mib(long n) {
        return n * Bytes.MIB;
    }

    @Test
    void should_size_chunked_prefill_by_the_gpus_capacity() {
        assertEquals(8192, BY_TP_083.chunkedPrefillSize(mib(8_000)));
        assertEquals(2048, BY_TP_081.chunkedPrefillSize(mib(24_999)));
        assertEquals(8192, BY_TP_081.chunkedPrefillSize(mib(25_000)));
        assertEquals(2048, RESERVED_BY_SIZE.chunkedPrefillSize(mib(35 * 1024 - 1)));
        assertEquals(8192, RESERVED_BY_SIZE.chunkedPrefillSize(mib(35 * 1024)));
        assertEquals(8192, RESERVED_BY_SIZE.chunkedPrefillSize(mib(160 * 1024 - 1)));
        assertEquals(16_384, RESERVED_BY_SIZE.chunkedPrefillSize(mib(160 * 1024)));
        assertEquals(2048, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(35 * 1024 - 1)));
        assertEquals(4096, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(35 * 1024)));
        assertEquals(4096, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(60 * 1024 - 1)));
        assertEquals(8192, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(60 * 1024)));
        assertEquals(8192, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(160 * 1024 - 1)));
        assertEquals(16_384, RESERVED_BY_BUFFERS.chunkedPrefillSize(mib(160 * 1024)));
    }

    @Test
    void should_size_the_largest_cuda_graph_batch_by_capacity_and_tensor_parallelism() {
        assertEquals(160, BY_TP_083.cudaGraphMaxBs(mib(8_000), 1));
        for (SglangDefaults d : new SglangDefaults[] {BY_TP_081, RESERVED_BY_SIZE}) {
            assertEquals(8, d.cudaGraphMaxBs(mib(35 * 1024 - 1), 3));
            assertEquals(80, d.cudaGraphMaxBs(mib(35 * 1024 - 1), 4));
            assertEquals(160, d.cudaGraphMaxBs(mib(35 * 1024), 1));
        }
        assertEquals(8, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(20 * 1024 - 1), 8));
        assertEquals(24, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(20 * 1024), 3));
        assertEquals(80, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(35 * 1024 - 1), 4));
        assertEquals(32, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(35 * 1024), 3));
        assertEquals(160, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(60 * 1024 - 1), 4));
        assertEquals(256, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(60 * 1024), 3));
        assertEquals(512, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(160 * 1024 - 1), 4));
        assertEquals(512, RESERVED_BY_BUFFERS.cudaGraphMaxBs(mib(160 * 1024), 1));
    }

    @Test
    void should_take_mem_fraction_static_from_the_tp_table_in_early_releases() {
        int[] tps = {1, 2, 3, 4, 7, 8, 15, 16};
        double[] early = {0.88, 0.87, 0.87, 0.85, 0.85, 0.83, 0.83, 0.79};
        double[] later = {0.88, 0.87, 0.87, 0.85, 0.85, 0.81, 0.81, 0.79};
        for (int i = 0; i < tps.length; i++) {
            assertEquals(early[i], BY_TP_083.memFractionStatic(mib(81_920), tps[i], 1, false, 8192, 160), "0.1, tp " + tps[i]);
            assertEquals(later[i], BY_TP_081.memFractionStatic(mib(81_920), tps[i], 1, false, 8192, 160), "0.3.6, tp " + tps[i]);
        }
    }

    @Test
    void should_reserve_by_capacity_from_0_4_7() {
        // 80 GiB, TP1: 9.5 + 1/2 = 10 GiB reserved: (81,920 - 10,240) / 81,920 = 0.875
        assertEquals(0.875, RESERVED_BY_SIZE.memFractionStatic(mib(81_920), 1, 1, false, 8192, 160));
        // TP4 x PP2: 9.5 + 8/2 = 13.5 GiB: (81,920 - 13,824) / 81,920 = 0.83125 -> 0.831
        assertEquals(0.831, RESERVED_BY_SIZE.memFractionStatic(mib(81_920), 4, 2, false, 8192, 160));
        // 24 GiB: 2.8 + 0.1 = 2.9 GiB: (24,576 - 2,969.6) / 24,576 = 0.87917 -> 0.879
        assertEquals(0.879, RESERVED_BY_SIZE.memFractionStatic(mib(24_576), 1, 1, false, 2048, 8));
        // 140 GiB: 12 + 0.5 = 12.5 GiB: (143,360 - 12,800) / 143,360 = 0.91071 -> 0.911
        assertEquals(0.911, RESERVED_BY_SIZE.memFractionStatic(mib(143_360), 1, 1, false, 8192, 160));
        // 180 GiB and up: 32 GiB: (184,320 - 32,768) / 184,320 = 0.82222 -> 0.822
        assertEquals(0.822, RESERVED_BY_SIZE.memFractionStatic(mib(184_320), 1, 1, false, 16_384, 160));
        // attention data parallelism reserves 4 GiB more: (81,920 - 14,336) / 81,920 = 0.825
        assertEquals(0.825, RESERVED_BY_SIZE.memFractionStatic(mib(81_920), 1, 1, true, 8192, 160));
        // boundaries: just under 35 GiB and just under 90 GiB use the smaller reserve
        assertEquals(Math.round((35 * 1024 - 1 - 2.9 * 1024) / (35 * 1024 - 1) * 1000) / 1000.0,
                RESERVED_BY_SIZE.memFractionStatic(mib(35 * 1024 - 1), 1, 1, false, 2048, 8));
        assertEquals(Math.round((35 * 1024 - 10 * 1024) / (35.0 * 1024) * 1000) / 1000.0,
                RESERVED_BY_SIZE.memFractionStatic(mib(35 * 1024), 1, 1, false, 8192, 160));
        assertEquals(Math.round((90 * 1024 - 12.5 * 1024) / (90.0 * 1024) * 1000) / 1000.0,
                RESERVED_BY_SIZE.memFractionStatic(mib(90 * 1024), 1, 1, false, 8192, 160));
        assertEquals(Math.round((160 * 1024 - 32 * 1024) / (160.0 * 1024) * 1000) / 1000.0,
                RESERVED_BY_SIZE.memFractionStatic(mib(160 * 1024), 1, 1, false, 8192, 160));
    }

    @Test
    void should_reserve_by_buffers_from_0_5_3() {
        // 80 GiB, chunk 8,192, graphs to 256, TP1: 512 + 12,288 + 512 + 128 = 13,440 MiB: 0.83594 -> 0.836
        assertEquals(0.836, RESERVED_BY_BUFFERS.memFractionStatic(mib(81_920), 1, 1, false, 8192, 256));
        // with attention DP: + 256 x 1 x 3 = 768 more: 14,208: 0.82656 -> 0.827
        assertEquals(0.827, RESERVED_BY_BUFFERS.memFractionStatic(mib(81_920), 1, 1, true, 8192, 256));
        // TP8 and attention DP: 512 + 12,288 + 1,024 + 1,024 + 512 x 8 x 3 = 27,136: 0.66875 -> 0.669
        assertEquals(0.669, RESERVED_BY_BUFFERS.memFractionStatic(mib(81_920), 8, 1, true, 8192, 512));
        // 24 GiB, chunk 2,048, graphs to 24: 512 + 3,072 + 48 + 128 = 3,760: 0.84701 -> 0.847
        assertEquals(0.847, RESERVED_BY_BUFFERS.memFractionStatic(mib(24_576), 1, 1, false, 2048, 24));
        // a chunk below 2,048 counts as 2,048
        assertEquals(0.847, RESERVED_BY_BUFFERS.memFractionStatic(mib(24_576), 1, 1, false, 1024, 24));
        // above 60 GiB at least 10 GiB: 64 GiB with small buffers: (65,536 - 10,240) / 65,536 = 0.84375 -> 0.844
        assertEquals(0.844, RESERVED_BY_BUFFERS.memFractionStatic(mib(65_536), 1, 1, false, 2048, 8));
        // at exactly 60 GiB the floor does not apply: 512 + 3,072 + 16 + 128 = 3,728: 0.93932 -> 0.939
        assertEquals(0.939, RESERVED_BY_BUFFERS.memFractionStatic(mib(61_440), 1, 1, false, 2048, 8));
    }

    @Test
    void should_name_each_rule_by_the_release_it_starts_at() {
        assertEquals(BY_TP_083, SglangDefaults.of(new Release("0.1", "github:sgl-project/sglang python/sglang/srt/server_args.py (0.3 revisions) __post_init__")));
        assertEquals(RESERVED_BY_BUFFERS, SglangDefaults.of(Sglang.at("0.5.3").release()));
        assertEquals(RESERVED_BY_SIZE, SglangDefaults.of(Sglang.at("0.5.2").release()));
        assertEquals(BY_TP_081, SglangDefaults.of(Sglang.at("0.4.6").release()));
        assertThrows(IllegalArgumentException.class, () -> SglangDefaults.of(new Release("9.9", "nowhere")));
        assertEquals(java.util.List.of("0.1", "0.3.6", "0.4.7", "0.5.3"), SglangDefaults.releases().stream().map(Release::version).toList());
    }
}
