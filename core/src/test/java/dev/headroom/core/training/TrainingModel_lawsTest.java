package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.precision.ComputeType;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** STYLE.md section 8: laws training memory and time obey whatever the inputs. */
class TrainingModel_lawsTest {

    @Provide
    Arbitrary<String> models() {
        return Arbitraries.of("llama-3.1-8b", "llama-3.2-1b", "llama-2-7b", "mistral-7b", "qwen2.5-7b", "qwen3-8b", "gemma-2-9b",
                "phi-3-mini", "mixtral-8x7b", "qwen3-30b-a3b", "llama-3.1-70b");
    }

    @Provide
    Arbitrary<String> gpus() {
        return Arbitraries.of("h100-sxm", "a100-80gb", "rtx-4090", "l40s", "h200", "mi300x");
    }

    @Provide
    Arbitrary<Integer> seqs() {
        return Arbitraries.of(256, 512, 1024, 2048, 4096, 8192);
    }

    private static ModelProfile m(String id) {
        return Catalog.profile(id);
    }

    private static Gpu g(String id) {
        return Catalog.gpu(id);
    }

    private static long total(String model, String gpu, TrainingSetup s) {
        return TrainingModel.memory(m(model), g(gpu), s).totalBytes();
    }

    @Property(tries = 60)
    void zero3_below_zero2_below_zero1_below_ddp_per_gpu(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                         @ForAll @IntRange(min = 2, max = 64) int n, @ForAll("seqs") int seq) {
        TrainingSetup s = TrainingSetup.defaults().withFramework(Framework.DEEPSPEED).withParallel(n, 1, 1, 1, 1).withBatch(1, seq, 1);
        long ddp = total(model, gpu, s.withSharding(Sharding.DDP));
        long z1 = total(model, gpu, s.withSharding(Sharding.ZERO_1));
        long z2 = total(model, gpu, s.withSharding(Sharding.ZERO_2));
        long z3 = total(model, gpu, s.withSharding(Sharding.ZERO_3));

        assertTrue(z3 < z2 && z2 < z1 && z1 < ddp, model + " on " + n + ": " + z3 + " < " + z2 + " < " + z1 + " < " + ddp);
    }

    @Property(tries = 60)
    void qlora_below_lora_below_full(@ForAll("models") String model, @ForAll("gpus") String gpu, @ForAll("seqs") int seq,
                                     @ForAll @IntRange(min = 1, max = 8) int micro) {
        TrainingSetup s = TrainingSetup.defaults().withBatch(micro, seq, 1).withRecompute(Recompute.FULL);
        long full = total(model, gpu, s.withMethod(Method.FULL));
        long lora = total(model, gpu, s.withMethod(Method.LORA));
        long qlora = total(model, gpu, s.withMethod(Method.QLORA));

        assertTrue(qlora < lora && lora < full, model + ": " + qlora + " < " + lora + " < " + full);
    }

    @Property(tries = 80)
    void full_recompute_below_selective_below_none(@ForAll("models") String model, @ForAll("seqs") int seq,
                                                    @ForAll @IntRange(min = 1, max = 8) int tp, @ForAll boolean flash,
                                                    @ForAll boolean compile) {
        TrainingSetup s = TrainingSetup.defaults().withParallel(tp, tp, 1, 1, 1).withBatch(2, seq, 1).withKernels(compile, flash, false, false);
        long none = TrainingModel.memory(m(model), g("h200"), s.withRecompute(Recompute.NONE)).activations().bytes();
        long selective = TrainingModel.memory(m(model), g("h200"), s.withRecompute(Recompute.SELECTIVE)).activations().bytes();
        long full = TrainingModel.memory(m(model), g("h200"), s.withRecompute(Recompute.FULL)).activations().bytes();

        assertTrue(full < selective && selective < none, model + " tp" + tp + ": " + full + " < " + selective + " < " + none);
    }

    @Property(tries = 80)
    void more_micro_batch_or_sequence_never_needs_less_memory(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                              @ForAll @IntRange(min = 1, max = 32) int micro, @ForAll("seqs") int seq,
                                                              @ForAll("methods") Method method, @ForAll("recomputes") Recompute r,
                                                              @ForAll("optimizers") Optimizer opt) {
        TrainingSetup s = TrainingSetup.defaults().withMethod(method).withRecompute(r).withOptimizer(opt).withBatch(micro, seq, 1);
        long base = total(model, gpu, s);

        assertTrue(total(model, gpu, s.withBatch(micro + 1, seq, 1)) >= base, "micro-batch + 1");
        assertTrue(total(model, gpu, s.withBatch(micro, 2 * seq, 1)) >= base, "sequence x 2");
        assertTrue(total(model, gpu, s.withBatch(micro, seq, 7)) == base, "gradient accumulation changes time, not memory");
    }

    @Provide
    Arbitrary<Method> methods() {
        return Arbitraries.of(Method.values());
    }

    @Provide
    Arbitrary<Recompute> recomputes() {
        return Arbitraries.of(Recompute.values());
    }

    @Provide
    Arbitrary<Optimizer> optimizers() {
        return Arbitraries.of(Optimizer.values());
    }

    @Property(tries = 60)
    void more_gpus_never_more_memory_per_gpu_under_zero3(@ForAll("models") String model, @ForAll("gpus") String gpu,
                                                           @ForAll @IntRange(min = 1, max = 256) int n, @ForAll boolean fsdp,
                                                           @ForAll("methods") Method method) {
        TrainingSetup s = TrainingSetup.defaults().withMethod(method).withSharding(fsdp ? Sharding.FSDP_FULL : Sharding.ZERO_3)
                .withBatch(1, 2048, 1);
        long fewer = total(model, gpu, s.withParallel(n, 1, 1, 1, 1));
        long more = total(model, gpu, s.withParallel(n + 1, 1, 1, 1, 1));

        assertTrue(more <= fewer, model + ": " + (n + 1) + " GPUs " + more + " > " + n + " GPUs " + fewer);
    }

    @Property(tries = 150)
    void no_negative_or_nan_anywhere(@ForAll("models") String model, @ForAll("gpus") String gpu, @ForAll("methods") Method method,
                                     @ForAll("recomputes") Recompute r, @ForAll("optimizers") Optimizer opt,
                                     @ForAll @IntRange(min = 0, max = 5) int shardingIndex, @ForAll @IntRange(min = 0, max = 2) int offloadIndex,
                                     @ForAll @IntRange(min = 0, max = 3) int parallel, @ForAll @IntRange(min = 1, max = 8) int micro,
                                     @ForAll("seqs") int seq, @ForAll @IntRange(min = 1, max = 16) int accum, @ForAll boolean fp8,
                                     @ForAll boolean compile) {
        Sharding sharding = Sharding.values()[shardingIndex];
        Offload offload = Offload.values()[sharding.stage() == 3 ? offloadIndex : Math.min(offloadIndex, 1)];
        int[][] layouts = {{1, 1, 1, 1}, {8, 1, 1, 1}, {16, 2, 2, 1}, {32, 4, 2, 2}};
        int[] l = layouts[parallel];
        TrainingSetup s = TrainingSetup.defaults().withMethod(method).withRecompute(r).withOptimizer(opt).withSharding(sharding)
                .withOffload(offload).withParallel(l[0], l[1], l[2], l[3], 1).withBatch(micro, seq, accum)
                .withCompute(fp8 ? ComputeType.FP8 : ComputeType.BF16).withKernels(compile, true, false, false).withBudget(1_000_000_000L, 2.0);
        TrainingEstimate e;
        try {
            e = TrainingModel.estimate(m(model), g(gpu), s, TrainingEfficiency.DEFAULT, Catalog.prices());
        } catch (InvalidInputException tooSmall) {
            return; // e.g. more pipeline stages than a small model has layers for its heads: a user mistake, said in words
        }
        for (MemoryTerm t : e.memory().terms()) {
            assertTrue(t.bytes() >= 0, t.toString());
        }
        assertTrue(e.memory().hostBytes() >= 0);
        TrainingTime t = TrainingModel.time(m(model), g(gpu), s, TrainingEfficiency.DEFAULT, e.memory());
        for (double v : new double[] {t.computeSeconds(), t.bubbleSeconds(), t.tensorParallelSeconds(), t.dataParallelSeconds(),
                t.offloadSeconds(), t.optimizerSeconds(), t.stepSeconds(), t.tokensPerSecondPerGpu(), t.mfu()}) {
            assertTrue(Double.isFinite(v) && v >= 0, "time part " + v + " of " + t);
        }
        assertTrue(t.mfu() > 0 && t.mfu() <= 1, "MFU is a fraction of the peak: " + t.mfu());
        if (e.fits()) {
            assertTrue(Double.isFinite(e.gpuHours()) && e.gpuHours() > 0 && Double.isFinite(e.usd()) && e.usd() > 0, e.toString());
        } else {
            assertTrue(Double.isNaN(e.gpuHours()), "no time or cost when it does not fit");
        }
    }

    @Property(tries = 40)
    void byte_counts_that_overflow_are_an_error_never_a_wrap(@ForAll("models") String model,
                                                             @ForAll @IntRange(min = 1 << 16, max = Integer.MAX_VALUE / 4) int micro) {
        TrainingSetup s = TrainingSetup.defaults().withBatch(micro, 1 << 20, 1);
        try {
            TrainingMemory mem = TrainingModel.memory(m(model), g("h100-sxm"), s);
            for (MemoryTerm t : mem.terms()) {
                assertTrue(t.bytes() >= 0, t.toString());
            }
            assertTrue(mem.totalBytes() >= 0);
        } catch (InvalidInputException expected) {
            assertTrue(expected.getMessage().contains("too large"), expected.getMessage());
        }
    }
}
