package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.precision.Precision;
import org.junit.jupiter.api.Test;

/**
 * trtllm-bench's build for a dataset (tensorrt_llm/bench/build/tuning.py calc_engine_setting, finetune_setting), worked
 * by hand for Llama-3.1-8B (8,030,261,248 parameters, 131,072 B of KV per token) on an 80 GiB H100:
 * engine = params / 1e9 x bytes per weight; KV = (80 x tp x pp - engine) x 0.95 GiB; requests = KV / KV per token
 * / (input + output); batch and tokens rounded up by the tool's steps.
 */
class TrtllmBenchBuild_tunedTest {
    private static final long P = 8_030_261_248L;
    private static final long H100 = 85_899_345_920L;

    private static TrtllmBenchBuild tuned(Precision w, int tp, int pp, int in, int out) {
        return TrtllmBenchBuild.tuned(P, w, 131_072, H100, tp, pp, in, out);
    }

    @Test
    void should_size_the_batch_and_tokens_from_the_kv_the_gpus_hold() {
        // FP8 (1 B): (80 - 8.03) x 0.95 = 68.37 GiB; / (131,072 B = 1/8,192 GiB) / 256 = 2,187.9 requests -> 256 x 9 = 2,304;
        // tokens 2,187.9 x 2 = 4,375.8 -> 512 x 9 = 4,608
        assertEquals(new TrtllmBenchBuild(2304, 4608), tuned(Precision.FP8, 1, 1, 128, 128));
        // bf16 (2 B): 1,943.8 requests -> 2,048; 3,887.5 tokens -> 256 x 16 = 4,096
        assertEquals(new TrtllmBenchBuild(2048, 4096), tuned(Precision.BF16, 1, 1, 128, 128));
        // 4-bit floats count half a byte: 2,309.9 -> 2,560; 4,619.9 -> 5,120
        assertEquals(new TrtllmBenchBuild(2560, 5120), tuned(Precision.MXFP4, 1, 1, 128, 128));
        assertEquals(new TrtllmBenchBuild(2560, 5120), tuned(Precision.NVFP4, 1, 1, 128, 128), "4.5 bits is still 4-bit");
    }

    @Test
    void should_round_small_middle_and_large_builds_by_their_own_steps() {
        // 2,048 / 2,048: 136.7 requests -> max(64, 32 x 5) = 160; 273.5 tokens -> at least 2,048
        assertEquals(new TrtllmBenchBuild(160, 2048), tuned(Precision.FP8, 1, 1, 2048, 2048));
        // 500 / 500: 560.1 -> 128 x 5 = 640; 1,120.2 tokens -> 2,048
        assertEquals(new TrtllmBenchBuild(640, 2048), tuned(Precision.FP8, 1, 1, 500, 500));
        // 512 / 64: 972.4 -> 1,024; tokens 972.4 x 9 = 8,751.5 -> 1,024 x 9 = 9,216
        assertEquals(new TrtllmBenchBuild(1024, 9216), tuned(Precision.FP8, 1, 1, 512, 64));
        // 128 / 1: 4,341.8 requests capped at 4,096; tokens capped at 32,768
        assertEquals(new TrtllmBenchBuild(4096, 32_768), tuned(Precision.FP8, 1, 1, 128, 1));
        // bf16 at 20,000 / 20,000: 12.4 requests -> the floor of 64 sequences and 2,048 tokens
        assertEquals(new TrtllmBenchBuild(64, 2048), tuned(Precision.BF16, 1, 1, 20_000, 20_000));
    }

    @Test
    void should_split_the_batch_over_pipeline_stages_and_pool_the_memory_of_the_split() {
        // TP2 x PP2: 320 GiB less the engine: 9,483.9 requests, capped at 4,096, / 2 stages = 2,048; tokens 4,096 -> 512 x 8
        assertEquals(new TrtllmBenchBuild(2048, 4096), tuned(Precision.FP8, 2, 2, 128, 128));
    }

    @Test
    void should_apply_its_limits_to_the_engine() {
        TensorRtLlm t = (TensorRtLlm) new TrtllmBenchBuild(2304, 4608).applyTo(TensorRtLlm.at("0.11"));
        assertEquals(2304, t.batch());
        assertEquals(4608, t.workspaceTokens());
    }
}
