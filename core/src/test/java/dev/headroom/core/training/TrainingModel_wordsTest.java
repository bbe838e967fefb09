package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.ComputeType;
import org.junit.jupiter.api.Test;

/** Each memory term says how it was counted, in words the user can check against the framework's own account. */
class TrainingModel_wordsTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");

    private static TrainingMemory memory(TrainingSetup s) {
        return TrainingModel.memory(LLAMA_8B, H100, s);
    }

    @Test
    void should_say_how_torch_amp_keeps_its_states_on_one_gpu() {
        TrainingMemory m = memory(TrainingSetup.defaults());

        assertEquals("4 bytes per parameter", m.weights().how());
        assertEquals("none: the weights are what the optimizer updates", m.master().how());
        assertEquals("fp32 per trainable parameter", m.gradients().how());
        assertEquals("adamw", m.optimizer().how());
        assertEquals("none: parameters are not sharded", m.gathered().how());
        assertEquals("recompute none, micro-batch 1 x 2048 tokens", m.activations().how());
        assertEquals("vocabulary x tokens: 16-bit logits, fp32 copy and fp32 gradient", m.logits().how());
        assertEquals("none", m.buffers().how());
        assertEquals("17.6% of allocated memory", m.fragmentation().how());
        assertEquals("context and kernels of one process", m.context().how());
        assertEquals("weights", m.weights().name());
        assertEquals("fp32 master weights", m.master().label());
        assertEquals(10, m.terms().size());
    }

    @Test
    void should_say_what_deepspeed_splits_and_over_how_many_ranks() {
        TrainingSetup s = TrainingSetup.defaults().withParallel(8, 1, 1, 1, 1);

        TrainingMemory z1 = memory(s.withSharding(Sharding.ZERO_1));
        assertEquals("2 bytes per parameter", z1.weights().how());
        assertEquals("4 bytes per trainable parameter over 8 ranks", z1.master().how());
        assertEquals("16-bit + fp32 per trainable parameter over 8 ranks", z1.gradients().how());
        assertEquals("adamw over 8 ranks", z1.optimizer().how());
        assertEquals("DeepSpeed reduce bucket (reduce_bucket_size 5e8, 16-bit)", z1.buffers().how());

        TrainingMemory z3 = memory(s.withSharding(Sharding.ZERO_3));
        assertEquals("2 bytes per parameter over 8 ranks", z3.weights().how());
        assertEquals("fp32 per trainable parameter over 8 ranks", z3.gradients().how());
        assertEquals("ZeRO-3: the largest layer's 16-bit parameters and gradients", z3.gathered().how());
        assertEquals("DeepSpeed prefetch bucket (stage3_prefetch_bucket_size 5e7, 16-bit)", z3.buffers().how());

        TrainingMemory fsdp = memory(s.withSharding(Sharding.FSDP_FULL));
        assertEquals("FSDP: current and prefetched unit in 16 bits, and its gradients", fsdp.gathered().how());
        TrainingMemory offloaded = memory(s.withSharding(Sharding.ZERO_3).withOffload(Offload.OPTIMIZER_AND_PARAMS));
        assertEquals("offloaded to host; 2 bytes per parameter over 8 ranks", offloaded.weights().how());
        assertEquals("offloaded to host", offloaded.optimizer().how());
    }

    @Test
    void should_say_how_adapters_and_their_frozen_base_are_kept() {
        assertEquals("16-bit frozen base + 4-byte adapters", memory(TrainingSetup.defaults().withMethod(Method.LORA)).weights().how());
        assertEquals("NF4 base (embeddings, norms, lm_head in 16 bits) + 4-byte adapters",
                memory(TrainingSetup.defaults().withMethod(Method.QLORA)).weights().how());
        TrainingMemory pure = memory(TrainingSetup.defaults().withFramework(Framework.PURE_BF16).withOptimizer(Optimizer.PAGED_ADAMW_8BIT));
        assertEquals("16-bit per trainable parameter", pure.gradients().how());
        assertEquals("paged-adamw-8bit (paged: what does not fit lives in host memory)", pure.optimizer().how());
        TrainingSetup compiled = TrainingSetup.defaults().withKernels(true, true, false, false).withRecompute(Recompute.SELECTIVE);
        assertEquals("vocabulary x tokens: 16-bit logits and gradient (fused loss)", memory(compiled).logits().how());
        assertEquals("recompute selective, micro-batch 1 x 2048 tokens", memory(compiled).activations().how());
    }

    @Test
    void should_hold_one_tensors_gradients_when_the_optimizer_steps_in_the_backward_pass() {
        TrainingMemory m = memory(TrainingSetup.defaults().withKernels(false, true, false, true));

        // the largest trainable tensor, the 128,256 x 4,096 embedding, in fp32: 4 B each
        assertEquals(4L * 128_256 * 4096, m.gradients().bytes());
        assertEquals("one tensor at a time (optimizer in backward)", m.gradients().how());
    }

    @Test
    void should_report_the_busiest_pipeline_stage_and_hold_tied_embeddings_on_both_ends() {
        // GIVEN Llama-3.2-1B (16 layers of 60,821,504 parameters, tied 128,256 x 2,048 embedding) on 2 stages, Megatron:
        // 2 B weights, 4 B master, 4 B fp32 gradients, 8 B AdamW states
        ModelProfile small = Catalog.profile("llama-3.2-1b");
        TrainingSetup pp2 = TrainingSetup.defaults().withParallel(2, 1, 2, 1, 1).withBatch(1, 2048, 1);

        TrainingMemory m = TrainingModel.memory(small, H100, pp2);

        // THEN the last stage (8 layers, the embedding again for the tied output projection, the final norm, the logits)
        // is the busier one
        long layer = 2048L * (2048 + 512 + 512) + 2048L * 2048 + 3L * 2048 * 8192 + 2 * 2048;
        assertEquals(60_821_504L, layer);
        long lastStage = 8 * layer + 128_256L * 2048 + 2048;
        assertEquals(1, m.stage());
        assertEquals(2 * lastStage, m.weights().bytes());
        assertEquals(4 * lastStage, m.master().bytes());
        assertTrue(m.logits().bytes() > 0);
        assertTrue(m.toString().contains("(pipeline stage 1)"), m.toString());
        assertEquals("recompute none, micro-batch 1 x 2048 tokens, 1F1B in flight", m.activations().how());
    }

    @Test
    void should_refuse_setups_no_framework_runs() {
        TrainingSetup d = TrainingSetup.defaults();
        assertThrows(InvalidInputException.class, () -> d.withLoraDropout(1.0));
        assertThrows(InvalidInputException.class, () -> d.withLoraDropout(-0.1));
        assertEquals(0.0, d.withLoraDropout(0.0).loraDropout());
        assertThrows(InvalidInputException.class, () -> d.withBudget(-1, null));
        assertEquals(0, d.withBudget(0, null).tokens());
        assertThrows(InvalidInputException.class, () -> d.withCompute(ComputeType.FP32));
        assertEquals(ComputeType.FP16, d.withCompute(ComputeType.FP16).compute());
        assertThrows(InvalidInputException.class, () -> d.withParallel(4, 1, 1, 1, 2), "interleaving needs pp > 1");
        assertThrows(InvalidInputException.class, () -> d.withParallel(2, 1, 1, 2, 1).withBatch(1, 2047, 1), "seq-len splits over cp");
        assertThrows(InvalidInputException.class, () -> d.withParallel(2, 4, 1, 1, 1), "tp x pp x cp beyond the GPUs");
        assertThrows(InvalidInputException.class, () -> d.withBudget(10, 0.0));
        assertThrows(InvalidInputException.class, () -> d.withInterNodeBandwidth(0));
        assertEquals(100e9, d.withInterNodeBandwidth(100e9).interNodeBytesPerSecond());
        assertThrows(InvalidInputException.class, () -> d.withLora(0, 16, LoraTargets.ALL_LINEAR));
    }
}
