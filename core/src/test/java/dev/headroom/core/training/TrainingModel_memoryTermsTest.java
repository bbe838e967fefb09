package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import org.junit.jupiter.api.Test;

/**
 * MODEL.md "Training memory": each model-state term under each framework and sharding, against the frameworks' own
 * byte accounts (Framework's comment cites them: DeepSpeed's 2 + 2 + 4 + 4 + 8, torch AMP's 4 + 4 + 8, and so on).
 * Llama-3.1-8B: 8,030,261,248 parameters P, hidden 4,096, 32 layers, vocabulary 128,256.
 */
class TrainingModel_memoryTermsTest {
    private static final ModelProfile LLAMA_8B = Catalog.profile("llama-3.1-8b");
    private static final Gpu H100 = Catalog.gpu("h100-sxm");
    private static final long P = 8_030_261_248L;
    /** The output projection, 128,256 x 4,096, and the final norm's 4,096: the largest FSDP unit of Llama-3.1-8B. */
    private static final long HEAD = 128_256L * 4096 + 4096;

    private static TrainingMemory memory(TrainingSetup s) {
        return TrainingModel.memory(LLAMA_8B, H100, s);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Test
    void should_keep_16_bytes_per_parameter_with_torch_amp_on_one_gpu() {
        TrainingMemory m = memory(TrainingSetup.defaults());

        // fp32 weights 4, no master copy, fp32 gradients 4, AdamW's two fp32 states 8
        assertEquals(4 * P, m.weights().bytes());
        assertEquals(0, m.master().bytes());
        assertEquals(4 * P, m.gradients().bytes());
        assertEquals(8 * P, m.optimizer().bytes());
        assertEquals(0, m.gathered().bytes());
        assertEquals(0, m.buffers().bytes(), "one GPU reduces nothing");
        assertEquals(P, m.params());
        assertEquals(P, m.trainableParams());
        assertEquals(0, m.stage());
        assertEquals(H100.visibleMemoryBytes(), m.gpuMemoryBytes());
        // reserved = allocated x 1.176..., plus the 723 MiB CUDA context
        long allocated = m.allocatedBytes();
        assertEquals((long) Math.ceil(allocated * TrainingModel.FRAGMENTATION), m.fragmentation().bytes());
        assertEquals(723 * Bytes.MIB, m.context().bytes());
        assertEquals(allocated + m.fragmentation().bytes() + 723 * Bytes.MIB, m.totalBytes());
        assertEquals(16 * P, m.modelStatesBytes());
        assertTrue(!m.fits(), "128 GB of model states do not fit 80 GB");
        assertEquals(m.gpuMemoryBytes() - m.totalBytes(), m.headroomBytes());
    }

    @Test
    void should_copy_the_gradients_into_ddp_buckets_when_data_parallel() {
        TrainingMemory m = memory(TrainingSetup.defaults().withParallel(2, 1, 1, 1, 1));

        // PyTorch DDP's buckets hold a copy of the fp32 gradients: 4 B x P
        assertEquals(4 * P, m.buffers().bytes());
        assertEquals("PyTorch DDP's gradient buckets: a copy of the gradients (gradient_as_bucket_view=False)", m.buffers().how());
    }

    @Test
    void should_split_what_each_zero_stage_splits_under_deepspeed() {
        // DeepSpeed: 2 (16-bit params) + 2 (16-bit grads) + 4 (fp32 grads) + 4 (fp32 params) + 8 (states), over 8 ranks
        TrainingSetup s = TrainingSetup.defaults().withParallel(8, 1, 1, 1, 1);

        TrainingMemory z1 = memory(s.withSharding(Sharding.ZERO_1));
        assertEquals(2 * P, z1.weights().bytes());
        assertEquals(ceilDiv(4 * P, 8), z1.master().bytes());
        assertEquals(2 * P + ceilDiv(4 * P, 8), z1.gradients().bytes(), "16-bit whole, fp32 split from stage 1");
        assertEquals(ceilDiv(8 * P, 8), z1.optimizer().bytes());
        assertEquals(2 * 500_000_000L, z1.buffers().bytes(), "reduce bucket of 5e8 16-bit elements");
        assertEquals(0, z1.gathered().bytes());

        TrainingMemory z2 = memory(s.withSharding(Sharding.ZERO_2));
        assertEquals(2 * P, z2.weights().bytes());
        assertEquals(ceilDiv(2 * P, 8) + ceilDiv(4 * P, 8), z2.gradients().bytes(), "both split from stage 2");
        assertEquals(2 * 500_000_000L, z2.buffers().bytes());

        TrainingMemory z3 = memory(s.withSharding(Sharding.ZERO_3));
        assertEquals(ceilDiv(2 * P, 8), z3.weights().bytes());
        assertEquals(ceilDiv(4 * P, 8), z3.gradients().bytes(), "no separate 16-bit gradients under ZeRO-3");
        assertEquals(ceilDiv(4 * P, 8), z3.master().bytes());
        assertEquals(ceilDiv(8 * P, 8), z3.optimizer().bytes());
        // memory.rst: largest_layer_memory = 4 x largest_layer_params (the embedding or the output projection)
        assertEquals(4 * ModelShapes.of(LLAMA_8B).largestModule(), z3.gathered().bytes());
        assertEquals(128_256L * 4096, ModelShapes.of(LLAMA_8B).largestModule());
        assertEquals(2 * 50_000_000L, z3.buffers().bytes(), "prefetch bucket of 5e7 16-bit elements");
    }

    @Test
    void should_gather_two_units_in_16_bits_and_one_units_gradients_under_fsdp() {
        // GIVEN FSDP full sharding (torch AMP) on 8 GPUs
        TrainingMemory m = memory(TrainingSetup.defaults().withSharding(Sharding.FSDP_FULL).withParallel(8, 1, 1, 1, 1));

        assertEquals(ceilDiv(4 * P, 8), m.weights().bytes());
        assertEquals(ceilDiv(4 * P, 8), m.gradients().bytes());
        assertEquals(ceilDiv(8 * P, 8), m.optimizer().bytes());
        assertEquals(0, m.master().bytes());
        // current and prefetched unit in 16 bits (2 x 2 B) and the unit's fp32 gradients (4 B): the output projection
        assertEquals(2 * HEAD * 2 + HEAD * 4, m.gathered().bytes());
        assertEquals(0, m.buffers().bytes(), "FSDP reduces in place");
    }

    @Test
    void should_shard_hybrid_fsdp_only_within_a_node() {
        // 16 GPUs of 8 per node: shards of 8, two replicas
        TrainingMemory hybrid = memory(TrainingSetup.defaults().withSharding(Sharding.FSDP_HYBRID).withParallel(16, 1, 1, 1, 1));
        TrainingMemory full = memory(TrainingSetup.defaults().withSharding(Sharding.FSDP_FULL).withParallel(16, 1, 1, 1, 1));

        assertEquals(ceilDiv(8 * P, 8), hybrid.optimizer().bytes());
        assertEquals(ceilDiv(8 * P, 16), full.optimizer().bytes());
        assertEquals(8, TrainingModel.shardDegree(H100, TrainingSetup.defaults().withSharding(Sharding.FSDP_HYBRID).withParallel(16, 1, 1, 1, 1)));
        assertEquals(4, TrainingModel.shardDegree(H100, TrainingSetup.defaults().withSharding(Sharding.FSDP_HYBRID).withParallel(16, 2, 1, 1, 1)));
        assertEquals(1, TrainingModel.shardDegree(H100, TrainingSetup.defaults().withParallel(16, 1, 1, 1, 1)));
        assertEquals(16, TrainingModel.shardDegree(H100, TrainingSetup.defaults().withSharding(Sharding.ZERO_1).withParallel(16, 1, 1, 1, 1)));
    }

    @Test
    void should_move_master_weights_states_and_deepspeeds_gradients_to_the_host_when_the_optimizer_is_offloaded() {
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.ZERO_3).withParallel(8, 1, 1, 1, 1);

        TrainingMemory opt = memory(s.withOffload(Offload.OPTIMIZER));
        assertEquals(0, opt.master().bytes());
        assertEquals(0, opt.optimizer().bytes());
        assertEquals(0, opt.gradients().bytes(), "DeepSpeed streams gradients to the host");
        assertEquals(ceilDiv(2 * P, 8), opt.weights().bytes());
        assertEquals("streamed to host", opt.gradients().how());
        assertEquals("offloaded to host", opt.master().how());

        TrainingMemory both = memory(s.withOffload(Offload.OPTIMIZER_AND_PARAMS));
        assertEquals(0, both.weights().bytes());
        assertTrue(both.weights().how().startsWith("offloaded to host; "), both.weights().how());
        // DeepSpeed's own estimator sizes the host side under ZeRO-3: more with the parameters offloaded too
        assertTrue(both.hostBytes() > opt.hostBytes());
        assertTrue(opt.hostBytes() > 0);
    }

    @Test
    void should_count_the_offloaded_bytes_on_the_host_when_deepspeeds_estimator_does_not_apply() {
        // GIVEN FSDP (not DeepSpeed) with the optimizer offloaded on 8 GPUs of one node
        TrainingSetup s = TrainingSetup.defaults().withSharding(Sharding.FSDP_FULL).withOffload(Offload.OPTIMIZER).withParallel(8, 1, 1, 1, 1);
        TrainingMemory m = memory(s);

        // THEN each GPU's shard of the fp32 states (8 B x P / 8) goes to the host, 8 GPUs per node; gradients stay
        assertEquals(8 * ceilDiv(8 * P, 8), m.hostBytes());
        assertEquals(ceilDiv(4 * P, 8), m.gradients().bytes());
        assertEquals(0, m.optimizer().bytes());
    }

    @Test
    void should_store_a_frozen_16_bit_base_for_lora_and_nf4_linear_layers_for_qlora() {
        TrainingSetup lora = TrainingSetup.defaults().withMethod(Method.LORA);
        long adapters = ModelShapes.of(LLAMA_8B).adapterParams(16, LoraTargets.ALL_LINEAR);

        TrainingMemory l = memory(lora);
        // torch AMP adapters: 4 B weights, 4 B gradients, 8 B states; the base in 16 bits
        assertEquals(2 * P + 4 * adapters, l.weights().bytes());
        assertEquals(4 * adapters, l.gradients().bytes());
        assertEquals(8 * adapters, l.optimizer().bytes());
        assertEquals(adapters, l.trainableParams());

        TrainingMemory q = memory(TrainingSetup.defaults().withMethod(Method.QLORA));
        // the linear layers of the 32 blocks in NF4; embeddings, norms and the output projection stay 16-bit
        long embeddingAndHead = 2 * 128_256L * 4096;
        long norms = 32 * 2 * 4096 + 4096;
        long linear = P - embeddingAndHead - norms;
        long nf4 = (long) Math.ceil(dev.headroom.core.precision.Precision.NF4.bitsPerValue() * linear / 8);
        long frozen = q.weights().bytes() - 4 * adapters;
        assertEquals(2 * (embeddingAndHead + norms), frozen - nf4, 64 * 32 * 8, "16-bit remainder (NF4 rounded per tensor)");
    }

    @Test
    void should_keep_paged_states_on_the_gpu_while_there_is_room_and_page_the_rest_out() {
        // GIVEN full training in pure bf16 (2 B weights, 2 B gradients) with paged AdamW (fp32 states: 8 B x P = 64 GB)
        TrainingSetup s = TrainingSetup.defaults().withFramework(Framework.PURE_BF16).withOptimizer(Optimizer.PAGED_ADAMW);
        TrainingMemory m = memory(s);

        // THEN the GPU fills to the most it can allocate; the remaining states live on the host
        long fullest = TrainingModel.mostAllocated(H100.visibleMemoryBytes());
        assertEquals(fullest, m.allocatedBytes());
        assertEquals(8 * P - m.optimizer().bytes(), m.hostBytes());
        assertTrue(m.fits());
        assertTrue(m.optimizer().bytes() > 0 && m.hostBytes() > 0, m.toString());
        assertTrue(m.optimizer().how().endsWith("(paged: what does not fit lives in host memory)"), m.optimizer().how());
    }

    @Test
    void should_allocate_the_most_that_still_fits_with_fragmentation_and_the_context() {
        for (long capacity : new long[] {80L * Bytes.GIB, 24L * Bytes.GIB + 12345, 724 * Bytes.MIB}) {
            long a = TrainingModel.mostAllocated(capacity);
            long ctx = TrainingModel.CUDA_CONTEXT_BYTES;
            assertTrue(a + (long) Math.ceil(a * TrainingModel.FRAGMENTATION) + ctx <= capacity, "fits at " + capacity);
            assertTrue(a + 1 + (long) Math.ceil((a + 1) * TrainingModel.FRAGMENTATION) + ctx > capacity, "one more does not, at " + capacity);
        }
        assertEquals(0, TrainingModel.mostAllocated(TrainingModel.CUDA_CONTEXT_BYTES));
        assertEquals(0, TrainingModel.mostAllocated(100));
    }

    @Test
    void should_keep_16_bit_logits_an_fp32_copy_and_its_gradient_per_vocabulary_entry() {
        // micro-batch 2 x 1,024 tokens: vocabulary x (2 + 4 + 4) B, plus the head's 2 x 2 B x hidden input
        TrainingSetup s = TrainingSetup.defaults().withBatch(2, 1024, 1);
        double tokens = 2 * 1024;
        assertEquals((long) Math.ceil(tokens * (128_256.0 * 10 + 4.0 * 4096)), TrainingModel.logitBytes(LLAMA_8B.spec(), s));
        // fused under torch.compile: 2 + 2
        TrainingSetup compiled = s.withKernels(true, true, false, false);
        assertEquals((long) Math.ceil(tokens * (128_256.0 * 4 + 4.0 * 4096)), TrainingModel.logitBytes(LLAMA_8B.spec(), compiled));
        // TP4 splits the vocabulary and the head's input; CP2 halves the tokens
        TrainingSetup tp4 = s.withParallel(4, 4, 1, 1, 1);
        assertEquals((long) Math.ceil(tokens * (128_256.0 / 4 * 10 + 4.0 * 4096 / 4)), TrainingModel.logitBytes(LLAMA_8B.spec(), tp4));
        TrainingSetup cp2 = s.withParallel(2, 1, 1, 2, 1);
        assertEquals((long) Math.ceil(tokens / 2 * (128_256.0 * 10 + 4.0 * 4096)), TrainingModel.logitBytes(LLAMA_8B.spec(), cp2));
        assertEquals(TrainingModel.logitBytes(LLAMA_8B.spec(), s), memory(s).logits().bytes());
    }
}
