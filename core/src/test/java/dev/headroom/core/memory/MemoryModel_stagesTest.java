package dev.headroom.core.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.Vllm;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.Precision;
import org.junit.jupiter.api.Test;

/**
 * Where the weights sit: layers split evenly over pipeline stages, the embedding on the first, the output projection on
 * the last, matrices split by tp, routed experts by ep; the rotary table the engine builds; the KV of each stage's layers.
 * Llama-3.1-8B per layer 218,112,000 parameters (attention 41,943,040, MLP 176,160,768, norms 8,192).
 */
class MemoryModel_stagesTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final long LAYER = 218_112_000L;
    private static final long EMBEDDING = 128_256L * 4096;

    private static MemoryProfile compile(ModelProfile m, int gpus, int tp, int pp, int ep) {
        return MemoryModel.compile(m, new Deployment(Catalog.gpu("h100-sxm"), gpus, tp, pp, ep, null, null, Vllm.at("0.9.2").withMaxModelLen(8192)));
    }

    @Test
    void should_put_each_stages_layers_and_the_embedding_and_output_projection_at_the_ends() {
        MemoryProfile p = compile(LLAMA_8B, 4, 1, 4, 1);

        assertEquals(4, p.stages().size());
        for (int s = 0; s < 4; s++) {
            assertEquals(8 * s, p.stages().get(s).firstLayer());
            assertEquals(8 * (s + 1), p.stages().get(s).lastLayer());
            assertEquals(s == 3, p.stages().get(s).rank().lastStage());
            assertEquals(8, p.stages().get(s).rank().kv().layers().size());
        }
        // bf16: 2 B per parameter
        assertEquals(2 * (8 * LAYER + EMBEDDING), p.stages().get(0).rank().weightsBytes());
        assertEquals(2 * 8 * LAYER, p.stages().get(1).rank().weightsBytes());
        assertEquals(2 * (8 * LAYER + EMBEDDING + 4096), p.stages().get(3).rank().weightsBytes());
        assertEquals(2 * 8_030_261_248L, p.weightsBytes(), "the whole copy");
        assertEquals(131_072, p.kvBytesPerToken());
        // rotary table: max positions x head dim x 2 B
        assertEquals(131_072L * 128 * 2, p.rotaryBytes());
        assertEquals(Precision.BF16, p.weights());
        assertEquals(Precision.BF16, p.kv());
    }

    @Test
    void should_split_matrices_over_tensor_parallel_ranks() {
        MemoryProfile tp2 = compile(LLAMA_8B, 2, 2, 1, 1);

        // every matrix halves; the norms are replicated
        long perRank = (32 * (LAYER - 8192) + 2 * EMBEDDING) / 2 + 32 * 8192 + 4096;
        assertEquals(2 * perRank, tp2.stages().get(0).rank().weightsBytes());
        assertEquals(65_536, tp2.stages().get(0).rank().kv().allBytesPerToken(), "8 KV heads split in two");
        assertTrue(tp2.stages().get(0).rank().communicationBytes() > 0);
    }

    @Test
    void should_split_routed_experts_over_expert_parallel_ranks() {
        ModelProfile mixtral = Catalog.profile("mixtral-8x7b");
        MemoryProfile tp8 = compile(mixtral, 8, 8, 1, 1);
        MemoryProfile ep8 = compile(mixtral, 8, 8, 1, 8);

        // the same bytes either way for 8 experts over 8 ranks, within rounding
        long a = tp8.stages().get(0).rank().weightsBytes();
        long b = ep8.stages().get(0).rank().weightsBytes();
        assertEquals(a, b, 64L * 1024 * 1024);
        // and 4 ranks hold twice the experts of 8
        MemoryProfile ep4 = compile(mixtral, 8, 8, 1, 4);
        long routed = 2L * mixtral.routedParams();
        assertEquals(routed / 4 - routed / 8, ep4.stages().get(0).rank().weightsBytes() - b, 1024L * 1024);
    }

    @Test
    void should_take_the_fp32_width_for_fp32_weights() {
        MemoryProfile fp32 = MemoryModel.compile(LLAMA_8B, new Deployment(Catalog.gpu("h200"), 1, 1, 1, 1, Precision.FP32, null,
                Vllm.at("0.9.2").withMaxModelLen(8192)));
        MemoryProfile bf16 = MemoryModel.compile(LLAMA_8B, new Deployment(Catalog.gpu("h200"), 1, 1, 1, 1, null, null,
                Vllm.at("0.9.2").withMaxModelLen(8192)));
        assertEquals(2 * bf16.stages().get(0).rank().activation().forwardBytes(100), fp32.stages().get(0).rank().activation().forwardBytes(100));
        assertEquals(4 * 8_030_261_248L, fp32.weightsBytes());
    }
}
