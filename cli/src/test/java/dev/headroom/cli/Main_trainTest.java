package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.training.DeepSpeedEstimator;
import dev.headroom.core.training.ModelShapes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The train command: the contract of flags and JSON keys, and one line with exit 2 for every bad input. */
class Main_trainTest {
    private static final String[] BASE = {"train", "--model", "llama-3.1-8b", "--gpu", "h100-sxm"};

    private static String[] args(String... extra) {
        String[] a = Arrays.copyOf(BASE, BASE.length + extra.length);
        System.arraycopy(extra, 0, a, BASE.length, extra.length);
        return a;
    }

    @Test
    void should_print_every_key_the_contract_names() throws Exception {
        JsonNode j = Cli.json(args("--gpus", "8", "--zero", "3", "--micro-batch", "2", "--seq-len", "4096", "--recompute", "selective",
                "--tokens", "1B", "--format", "json"));

        for (String key : List.of("params", "trainable_params", "weights_bytes_per_gpu", "gradients_bytes_per_gpu", "optimizer_bytes_per_gpu",
                "model_states_bytes_per_gpu", "model_states_bytes_cpu", "activation_bytes_per_gpu", "total_bytes_per_gpu", "fits",
                "step_time_s", "tokens_per_s_per_gpu", "mfu", "gpu_hours", "usd")) {
            assertTrue(j.has(key), "missing key " + key + " in " + j);
        }
        assertEquals(8_030_261_248L, j.get("params").asLong(), "MODEL.md: Llama-3.1-8B has 8,030,261,248 parameters");
        assertTrue(j.get("fits").asBoolean());
        double mfu = j.get("mfu").asDouble();
        assertTrue(mfu > 0 && mfu < 1, "MFU is a fraction: " + mfu);
        assertEquals(1_000_000_000L, j.get("tokens").asLong());
        assertEquals(j.get("gpu_hours").asDouble() * j.get("usd_per_gpu_hour").asDouble(), j.get("usd").asDouble(), 1e-6);
    }

    @Test
    void should_give_deepspeeds_own_zero3_figure_as_the_model_states_of_zero3_adamw() throws Exception {
        JsonNode j = Cli.json(args("--gpus", "8", "--zero", "3", "--format", "json"));

        // deepspeed/runtime/zero/stage3.py estimate_zero3_model_states_mem_needs, no offload: 4 x largest layer + 18 P / N
        long params = Catalog.profile("llama-3.1-8b").params();
        long largest = ModelShapes.of(Catalog.profile("llama-3.1-8b")).largestModule();
        DeepSpeedEstimator.Needs ds = DeepSpeedEstimator.zero3(params, largest, 8, 1, false, false, true, 1.5);
        assertEquals(ds.gpuBytes(), j.get("model_states_bytes_per_gpu").asLong(), 4, "up to a byte of rounding per term");
        assertEquals(ds.cpuBytes(), j.get("model_states_bytes_cpu").asLong());
    }

    @Test
    void should_exit_one_without_time_when_the_setup_does_not_fit() throws Exception {
        Cli r = Cli.run("train", "--model", "llama-3.1-70b", "--gpu", "rtx-4090", "--format", "json");

        assertEquals(1, r.exit(), r.err());
        JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals(false, j.get("fits").asBoolean());
        assertTrue(j.get("step_time_s").isNull());
    }

    @Test
    void should_print_a_text_report_and_one_csv_row() {
        Cli text = Cli.run(args("--method", "qlora", "--recompute", "full"));
        Cli csv = Cli.run(args("--method", "lora", "--lora-rank", "8", "--lora-targets", "q,v", "--format", "csv"));

        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().contains("optimizer states") && text.out().contains("NF4"), text.out());
        assertEquals(0, csv.exit(), csv.err());
        List<String> lines = csv.out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("model,gpu,gpus,"), lines.get(0));
        // Llama-3.1-8B, r = 8 on q and v: 32 layers x 8 x ((4096 + 4096) + (4096 + 1024)) = 3,407,872 (Hu et al.: r (d_in + d_out))
        assertTrue(csv.out().contains(",3407872,"), csv.out());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "--method|dora|'dora'|qlora",
            "--zero|4|--zero = 4|0, 1, 2, 3",
            "--fsdp|partial|'partial'|hybrid",
            "--offload|disk|'disk'|optimizer+params",
            "--optimizer|lion|'lion'|adafactor",
            "--recompute|some|'some'|selective",
            "--precision|fp4|'fp4'|fp8",
            "--lora-targets|qq|'qq'|all-linear",
            "--framework|jax|'jax'|deepspeed",
            "--gpus|0|--gpus = 0|positive",
            "--micro-batch|-1|--micro-batch = -1|positive",
            "--seq-len|0|--seq-len = 0|positive",
            "--tokens|lots|--tokens = 'lots'|1B",
            "--gpu-price-per-hour|-2|--gpu-price-per-hour = -2.0|positive",
    })
    void should_name_the_flag_the_value_and_the_choices_for_a_bad_input(String flag, String value, String named, String choice) {
        String line = Cli.run(args(flag, value)).userMistake();

        assertTrue(line.contains(flag.replace("--", "")) || line.contains(flag), line);
        assertTrue(line.contains(named), line);
        assertTrue(line.contains(choice), line);
    }

    @Test
    void should_refuse_two_shardings_and_parameter_offload_without_sharded_parameters() {
        String both = Cli.run(args("--gpus", "8", "--zero", "3", "--fsdp", "full")).userMistake();
        String offload = Cli.run(args("--gpus", "8", "--zero", "2", "--offload", "optimizer+params")).userMistake();
        String split = Cli.run(args("--gpus", "6", "--tp", "4")).userMistake();

        assertTrue(both.contains("--zero") && both.contains("--fsdp"), both);
        assertTrue(offload.contains("--offload") && offload.contains("--zero 3"), offload);
        assertTrue(split.contains("--gpus = 6") && split.contains("--tp"), split);
    }

    @Test
    void should_list_train_among_the_commands() {
        Cli r = Cli.run("--help");

        assertTrue(r.out().contains("train"), r.out());
    }
}
