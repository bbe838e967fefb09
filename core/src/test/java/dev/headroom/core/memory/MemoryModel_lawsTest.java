package dev.headroom.core.memory;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;
import dev.headroom.core.*;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** STYLE.md section 8: property tests state laws the estimate must obey whatever the inputs. */
class MemoryModel_lawsTest {
    private static final long GIB = Bytes.GIB;

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of("llama-3.1-8b", "llama-2-7b", "mistral-7b", "qwen2.5-7b", "qwen3-8b", "gemma-2-9b", "phi-3-mini",
                "llama-3.2-1b", "mixtral-8x7b", "qwen3-30b-a3b", "gpt-oss-20b", "llama-3.1-70b");
    }

    /** Dense standard-attention models whose replicated tensors are only norms (plus Qwen3's q/k norms). */
    @Provide
    Arbitrary<String> denseModels() {
        return Arbitraries.of("llama-3.1-8b", "llama-3.1-70b", "llama-2-7b", "mistral-7b", "qwen2.5-7b", "qwen2.5-72b",
                "qwen3-8b", "gemma-2-9b", "gemma-2-27b", "phi-3-mini", "llama-3.2-3b");
    }

    @Provide
    Arbitrary<String> gpus() {
        return Arbitraries.of("h100-sxm", "a100-80gb", "rtx-4090", "l40s", "h200", "mi300x");
    }

    /**
     * Engines at fixed settings: vLLM's own defaults rise with the GPU (1,024 sequences and 8,192 batched tokens from
     * 70 GiB, whose sampler warm-up can then refuse), so the laws hold for the settings a user pins.
     */
    @Provide
    Arbitrary<Engine> engines() {
        return Arbitraries.of(Vllm.defaults().withMaxModelLen(4096).withMaxNumSeqs(256).withMaxNumBatchedTokens(4096),
                Sglang.defaults().withContextLength(4096),
                TensorRtLlm.defaults().withMaxSeqLen(4096), LlamaCpp.defaults(), Transformers.defaults());
    }

    @Provide
    Arbitrary<Engine> pooledEngines() {
        return Arbitraries.of(Vllm.defaults().withMaxModelLen(4096), Sglang.defaults().withContextLength(4096),
                TensorRtLlm.defaults().withMaxSeqLen(4096));
    }

    @Property(tries = 200)
    void should_never_need_less_workload_kv_for_a_bigger_batch(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                               @ForAll @IntRange(min = 1, max = 512) int a,
                                                               @ForAll @IntRange(min = 1, max = 512) int b,
                                                               @ForAll @IntRange(min = 1, max = 2048) int input,
                                                               @ForAll @IntRange(min = 0, max = 2048) int output) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(Vllm.defaults().withMaxModelLen(4096));
        int small = Math.min(a, b);
        int big = Math.max(a, b);

        long kvSmall = MemoryModel.estimate(m, d, Workload.of(small, input, output)).workloadKvBytesPerGpu();
        long kvBig = MemoryModel.estimate(m, d, Workload.of(big, input, output)).workloadKvBytesPerGpu();

        assertTrue(kvBig >= kvSmall, model + ": batch " + big + " needs " + kvBig + " < batch " + small + " " + kvSmall);
        assertTrue(kvSmall > 0);
    }

    @Property(tries = 100)
    void should_halve_per_gpu_weights_of_sharded_tensors_when_tp_doubles(@ForAll("denseModels") String model,
                                                                          @ForAll("tpDegrees") int tp) {
        ModelProfile m = Catalog.profile(model);
        Attention a = (Attention) m.spec().attention();
        Assume.that(a.kvHeads() % (2 * tp) == 0 && a.heads() % (2 * tp) == 0);

        long w1 = perGpuWeights(m, tp);
        long w2 = perGpuWeights(m, 2 * tp);

        // w(tp) = S/tp + R with S the sharded bytes and R the replicated ones, so 2 w(2tp) - w(tp) = R:
        // the norms (each layer's + the final norm, hidden wide) and Qwen3's per-head q/k norms, all bf16.
        long norms = (m.spec().layers().stream().mapToLong(Layer::normValues).sum() + m.spec().finalNormValues()) * 2;
        long qkNorms = a.qkNorm() ? 2L * m.spec().layerCount() * a.headDim() * 2 : 0;
        long replicated = norms + qkNorms;
        assertTrue(Math.abs(2 * w2 - w1 - replicated) <= 64,
                model + " tp " + tp + "->" + 2 * tp + ": 2*" + w2 + " - " + w1 + " vs replicated " + replicated);
        assertTrue(w2 < w1);
    }

    @Provide
    Arbitrary<Integer> tpDegrees() {
        return Arbitraries.of(1, 2, 4);
    }

    private static long perGpuWeights(ModelProfile m, int tp) {
        // The static engine adds no rotary table, so the per-GPU figure is weights alone.
        Deployment d = new Deployment(Catalog.gpu("h100-sxm"), tp, tp, 1, 1, Precision.BF16, null, Transformers.defaults());
        return MemoryModel.estimate(m, d, Workload.of(1, 128, 128)).weightsBytesPerGpu();
    }

    @Property(tries = 200)
    void should_never_shrink_the_vllm_pool_when_utilization_grows(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                                  @ForAll @DoubleRange(min = 0.05, max = 1.0) double u,
                                                                  @ForAll @DoubleRange(min = 0.05, max = 1.0) double v) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu));
        Vllm base = Vllm.defaults().withMaxModelLen(4096);

        MemoryEstimate low = MemoryModel.estimate(m, d.withEngine(base.withGpuMemoryUtilization(Math.min(u, v))), Workload.of(1, 128, 128));
        MemoryEstimate high = MemoryModel.estimate(m, d.withEngine(base.withGpuMemoryUtilization(Math.max(u, v))), Workload.of(1, 128, 128));

        assertTrue(high.kvCacheBytesPerGpu() >= low.kvCacheBytesPerGpu(), model + " on " + gpu);
        assertTrue(high.kvCacheTokens() >= low.kvCacheTokens(), model + " on " + gpu);
    }

    @Property(tries = 300)
    void should_never_reduce_max_concurrency_with_more_gpu_memory(@ForAll("models") String model, @ForAll("engines") Engine engine,
                                                                  @ForAll @LongRange(min = 8, max = 400) long a,
                                                                  @ForAll @LongRange(min = 8, max = 400) long b) {
        ModelProfile m = Catalog.profile(model);
        Gpu gpu = Catalog.gpu("h100-sxm");
        Deployment small = Deployment.on(gpu.withVisibleMemory(Math.min(a, b) * GIB)).withEngine(engine);
        Deployment big = Deployment.on(gpu.withVisibleMemory(Math.max(a, b) * GIB)).withEngine(engine);
        Workload w = Workload.of(4, 1024, 256);

        double cSmall = MemoryModel.estimate(m, small, w).maxConcurrency();
        double cBig = MemoryModel.estimate(m, big, w).maxConcurrency();

        assertTrue(cBig >= cSmall, model + " " + engine.id() + ": " + Math.max(a, b) + " GiB -> " + cBig
                + " < " + Math.min(a, b) + " GiB -> " + cSmall);
    }

    @Property(tries = 200)
    void should_never_hold_fewer_tokens_with_fp8_kv_than_bf16(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                              @ForAll("pooledEngines") Engine engine) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(engine);
        Workload w = Workload.of(1, 128, 128);

        MemoryEstimate bf16 = MemoryModel.estimate(m, d.withKv(Precision.BF16), w);
        MemoryEstimate fp8 = MemoryModel.estimate(m, d.withKv(Precision.FP8), w);

        assertTrue(fp8.kvCacheTokens() >= bf16.kvCacheTokens(), model + " on " + gpu + " with " + engine.id());
        if (bf16.kvCacheTokens() > 1000) {
            // Same pool bytes, half the bytes per token: about twice the tokens (whole blocks aside).
            assertEquals(2.0, (double) fp8.kvCacheTokens() / bf16.kvCacheTokens(), 0.05);
        }
    }

    @Property(tries = 100)
    void should_account_every_byte_of_the_total(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                @ForAll("engines") Engine engine) {
        MemoryEstimate e = MemoryModel.estimate(Catalog.profile(model), Deployment.on(Catalog.gpu(gpu)).withEngine(engine),
                Workload.of(2, 512, 128));
        assertEquals(e.weightsBytesPerGpu() + e.activationBytesPerGpu() + e.runtimeOverheadBytesPerGpu() + e.pool().cudaGraphBytes()
                + e.pool().charges().statePoolBytes() + e.kvCacheBytesPerGpu(), e.totalBytesPerGpu());
        // Sizes are never negative: what is left, or (when over) what is missing.
        assertEquals(Math.max(0, e.gpuMemoryBytes() - e.totalBytesPerGpu()), e.headroomBytesPerGpu());
        assertTrue(e.shortfallBytesPerGpu() >= e.totalBytesPerGpu() - e.gpuMemoryBytes(), e.verdict());
        if (e.fits()) {
            assertTrue(e.totalBytesPerGpu() <= e.gpuMemoryBytes(), "fits but over: " + e.verdict());
        }
    }

    @Property(tries = 150)
    void should_never_need_less_memory_for_a_longer_context(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                           @ForAll @IntRange(min = 1, max = 64) int batch,
                                                           @ForAll @IntRange(min = 1, max = 4000) int a,
                                                           @ForAll @IntRange(min = 1, max = 4000) int b) {
        // GIVEN one deployment with a fixed max length; the static engine pre-allocates for the batch, so its total grows too
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(Transformers.defaults().withMaxLength(4096));

        MemoryEstimate shorter = MemoryModel.estimate(m, d, Workload.of(batch, Math.min(a, b), 0));
        MemoryEstimate longer = MemoryModel.estimate(m, d, Workload.of(batch, Math.max(a, b), 0));

        assertTrue(longer.workloadKvBytesPerGpu() >= shorter.workloadKvBytesPerGpu(), model + ": KV shrank with the context");
        assertTrue(longer.totalBytesPerGpu() >= shorter.totalBytesPerGpu(), model + ": total shrank with the context");
        assertTrue(shorter.workloadKvBytesPerGpu() >= 0 && shorter.totalBytesPerGpu() > 0);
    }

    /** Weight formats that quantize the same tensors (embeddings, lm_head, norms kept 16-bit), fewest bits first. */
    private static final List<Precision> WEIGHTS_BY_BITS = List.of(Precision.int4(128), Precision.int4(64), Precision.int4(32),
            Precision.FP8, Precision.BF16, Precision.FP32);
    private static final List<Precision> KV_BY_BITS = List.of(Precision.FP8, Precision.BF16, Precision.FP32);

    @Property(tries = 150)
    void should_never_need_less_memory_with_more_bits_per_value(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                               @ForAll @IntRange(min = 0, max = 5) int w1, @ForAll @IntRange(min = 0, max = 5) int w2,
                                                               @ForAll @IntRange(min = 0, max = 2) int k1, @ForAll @IntRange(min = 0, max = 2) int k2) {
        ModelProfile m = Catalog.profile(model);
        Deployment d = Deployment.on(Catalog.gpu(gpu)).withEngine(Transformers.defaults().withMaxLength(4096));
        Workload w = Workload.of(4, 1024, 256);
        Precision fewer = WEIGHTS_BY_BITS.get(Math.min(w1, w2));
        Precision more = WEIGHTS_BY_BITS.get(Math.max(w1, w2));
        Precision kvFewer = KV_BY_BITS.get(Math.min(k1, k2));
        Precision kvMore = KV_BY_BITS.get(Math.max(k1, k2));

        MemoryEstimate small = MemoryModel.estimate(m, d.withWeights(fewer).withKv(kvFewer), w);
        MemoryEstimate big = MemoryModel.estimate(m, d.withWeights(more).withKv(kvMore), w);

        assertTrue(big.weightsBytes() >= small.weightsBytes(), model + ": " + more + " weights " + big.weightsBytes()
                + " < " + fewer + " " + small.weightsBytes());
        assertTrue(big.kvBytesPerToken() >= small.kvBytesPerToken(), model + ": " + kvMore + " KV per token < " + kvFewer);
        assertTrue(big.workloadKvBytesPerGpu() >= small.workloadKvBytesPerGpu(), model + ": KV of the batch shrank with more bits");
    }
}
