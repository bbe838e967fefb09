package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import org.junit.jupiter.api.Test;

/**
 * What a pipeline stage holds and what each method and optimizer keeps for it, in bytes worked out from Llama-3.1-8B's
 * shapes: per layer q 4096 x 4096, k and v 4096 x 1024, o 4096 x 4096, gate and up 4096 x 14336, down 14336 x 4096,
 * two 4,096 norms (218,112,000 parameters); an untied 128,256 x 4,096 embedding and output projection; a final norm.
 */
class TrainingModel_stagesTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    private static final long LAYER = 4096L * (4096 + 1024 + 1024 + 4096) + 3L * 4096 * 14336 + 2 * 4096;
    private static final long HEAD = 128_256L * 4096 + 4096;
    /** Sum of in + out over one layer's seven matrices. */
    private static final long IN_PLUS_OUT = (4096 + 4096) + 2 * (4096 + 1024) + (4096 + 4096) + 2 * (4096 + 14336) + (14336 + 4096);

    private static TrainingMemory memory(TrainingSetup s) {
        return TrainingModel.memory(LLAMA_8B, H100, s);
    }

    @Test
    void should_give_the_last_of_four_stages_its_eight_layers_and_the_output_projection() {
        // GIVEN PP4 (Megatron: 2 B weights, 4 B master, 4 B fp32 gradients, AdamW 2 x 4 B), one micro-batch per step
        TrainingSetup pp4 = TrainingSetup.defaults().withParallel(4, 1, 4, 1, 1).withBatch(1, 2048, 1);
        assertEquals(218_112_000L, LAYER);

        TrainingMemory m = memory(pp4);

        // THEN the busiest stage is the last: layers 24-31, the output projection and final norm, and the logits
        long params = 8 * LAYER + HEAD;
        assertEquals(3, m.stage());
        assertEquals(2 * params, m.weights().bytes());
        assertEquals(4 * params, m.master().bytes());
        assertEquals(4 * params, m.gradients().bytes());
        assertEquals(8 * params, m.optimizer().bytes());
    }

    @Test
    void should_factor_adafactors_second_moment_into_rows_and_columns() {
        // GIVEN the same last stage with Adafactor: one fp32 value per row and per column of each matrix, one per vector element
        TrainingSetup s = TrainingSetup.defaults().withParallel(4, 1, 4, 1, 1).withBatch(1, 2048, 1).withOptimizer(Optimizer.ADAFACTOR);

        TrainingMemory m = memory(s);

        long matrices = 8 * IN_PLUS_OUT + (4096 + 128_256);
        long vectors = 8 * 2 * 4096 + 4096;
        assertEquals(3, m.stage());
        assertEquals(4 * (matrices + vectors), m.optimizer().bytes());
    }

    @Test
    void should_train_only_the_adapters_of_a_stages_own_layers() {
        // GIVEN LoRA r 16 on every linear layer over two stages (Megatron: 2 B weights; AdamW states 2 x 4 B)
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withParallel(2, 1, 2, 1, 1).withBatch(1, 2048, 1);

        TrainingMemory m = memory(s);

        // THEN the last stage holds 16 layers' adapters, 16 x (in + out) per matrix; the output projection is not adapted
        long adapters = 16 * 16 * IN_PLUS_OUT;
        long params = 16 * LAYER + HEAD;
        assertEquals(1, m.stage());
        assertEquals(2 * params + 2 * adapters, m.weights().bytes());
        assertEquals(8 * adapters, m.optimizer().bytes());
        // with the output projection adapted too: 16 x (4,096 + 128,256) more
        TrainingMemory head = memory(s.withLora(16, 32, LoraTargets.parse("all-linear,lm_head", "t")));
        assertEquals(8 * (adapters + 16L * (4096 + 128_256)), head.optimizer().bytes());
    }

    @Test
    void should_step_lora_adapters_one_at_a_time_in_the_backward_pass() {
        // the largest adapter matrix: 16 x 14,336 (B of gate and up, A of down), fp32 gradients
        TrainingMemory m = memory(TrainingSetup.defaults().withMethod(Method.LORA).withKernels(false, true, false, true));
        assertEquals(4L * 16 * 14336, m.gradients().bytes());
    }

    @Test
    void should_gather_fsdp_units_by_the_bytes_each_parameter_takes() {
        TrainingSetup fsdp = TrainingSetup.defaults().withSharding(Sharding.FSDP_FULL).withParallel(8, 1, 1, 1, 1);
        // LoRA: the frozen 16-bit base and 2 B per adapter weight average 2 B per parameter; no unit gradients
        assertEquals(2 * HEAD * 2, memory(fsdp.withMethod(Method.LORA)).gathered().bytes());
        // pure bf16: 16-bit gradients of the unit
        assertEquals(2 * HEAD * 2 + HEAD * 2, memory(fsdp.withFramework(Framework.PURE_BF16)).gathered().bytes());
    }

    @Test
    void should_bucket_bf16_gradients_under_pure_bf16_ddp() {
        assertEquals(2 * LLAMA_8B.params(), memory(TrainingSetup.defaults().withFramework(Framework.PURE_BF16).withParallel(2, 1, 1, 1, 1))
                .buffers().bytes());
        // context parallelism alone also reduces gradients over ranks
        assertEquals(4 * LLAMA_8B.params(), memory(TrainingSetup.defaults().withFramework(Framework.TORCH_AMP).withParallel(2, 1, 1, 2, 1))
                .buffers().bytes());
    }
}
