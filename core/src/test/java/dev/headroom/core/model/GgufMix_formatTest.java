package dev.headroom.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.engine.Deployment;
import dev.headroom.core.engine.LlamaCpp;
import dev.headroom.core.memory.MemoryModel;
import dev.headroom.core.precision.Precision;
import dev.headroom.core.workload.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** llama.cpp's per-tensor types of a named GGUF file type (src/llama-quant.cpp), checked against published file sizes. */
class GgufMix_formatTest {

    private static long fileBytes(String model, Precision ftype) {
        Deployment d = Deployment.on(Catalog.gpu("h200")).withEngine(LlamaCpp.defaults().withNCtx(512)).withWeights(ftype);
        return MemoryModel.estimate(Catalog.profile(model), d, Workload.of(1, 8, 8)).weightsBytes();
    }

    @ParameterizedTest(name = "llama-2-7b {0}: {1} GB")
    @CsvSource({
            // huggingface.co/TheBloke/Llama-2-7B-GGUF file list (llama.cpp commit bd33e5a), sizes in GB rounded to 3 figures
            "q3_k_s, 2.95", "q3_k_m, 3.30", "q3_k_l, 3.60", "q4_0, 3.83", "q4_k_s, 3.86", "q4_k_m, 4.08", "q5_0, 4.65",
            "q5_k_s, 4.65", "q5_k_m, 4.78", "q6_k, 5.53", "q8_0, 7.16"})
    void should_size_llama_2_7b_files_as_published(String ftype, double gb) {
        assertEquals(gb, fileBytes("llama-2-7b", Precision.parse(ftype, "weights")) / 1e9, 0.006);
    }

    @Test
    void should_put_q6_k_on_half_the_attention_v_and_ffn_down_of_q4_k_m() {
        // use_more_bits(i, 32): layers 0-3, 6, 9, ..., 27 and 28-31 -> 16 of 32 layers get Q6_K
        ModelSpec m = Catalog.model("llama-2-7b");
        GgufMix mix = new GgufMix(m, Precision.Q4_K_M);
        List<Tensor> tensors = dev.headroom.core.model.ModelProfile.of(m).tensors();
        long q6 = tensors.stream().filter(t -> t.name().endsWith("v_proj") && mix.formatOf(t).equals(Precision.Q6_K)).count();
        long down6 = tensors.stream().filter(t -> t.name().endsWith("down_proj") && mix.formatOf(t).equals(Precision.Q6_K)).count();
        assertEquals(16, q6);
        assertEquals(16, down6);
        Tensor output = tensors.stream().filter(t -> t.role() == TensorRole.LM_HEAD).findFirst().orElseThrow();
        assertEquals(Precision.Q6_K, mix.formatOf(output), "the output tensor is Q6_K");
    }

    @ParameterizedTest(name = "{0}: {1} GiB")
    @CsvSource({
            // validation/memory.csv M21 (ggml-org/llama.cpp benches/dgx-spark.md): MXFP4_MOE files, experts MXFP4, the rest Q8_0
            "gpt-oss-20b, 11.27", "gpt-oss-120b, 59.02"})
    void should_keep_everything_but_the_experts_at_q8_0_in_mxfp4_moe(String model, double gib) {
        assertEquals(gib, fileBytes(model, Precision.MXFP4_MOE) / (double) (1L << 30), gib * 0.002);
    }

    @Test
    void should_fall_back_when_a_row_holds_no_whole_block() {
        // gpt-oss's 2880-wide rows hold no whole 256-value K block: Q4_K falls back to Q5_0 (llama-quant.cpp)
        ModelSpec m = Catalog.model("gpt-oss-20b");
        GgufMix mix = new GgufMix(m, Precision.Q4_K_M);
        Tensor q = dev.headroom.core.model.ModelProfile.of(m).tensors().stream().filter(t -> t.name().endsWith("q_proj")).findFirst().orElseThrow();
        assertEquals(Precision.Q5_0, mix.formatOf(q));
    }
}
