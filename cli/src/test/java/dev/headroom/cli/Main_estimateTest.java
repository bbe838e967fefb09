package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Main_estimateTest {
    /** The machine-readable contract of `estimate`: every key, bytes as exact integers. */
    static final List<String> BYTE_KEYS = List.of("weights_bytes", "weights_bytes_per_gpu", "kv_bytes_per_token",
            "kv_bytes_per_token_per_gpu", "activation_bytes_per_gpu", "runtime_overhead_bytes_per_gpu", "kv_cache_bytes_per_gpu",
            "total_bytes_per_gpu", "gpu_memory_bytes");
    static final List<String> COUNT_KEYS = List.of("params", "active_params", "kv_cache_tokens", "kv_cache_blocks");
    static final List<String> CONTRACT_KEYS;

    static {
        List<String> keys = new ArrayList<>(COUNT_KEYS);
        keys.addAll(BYTE_KEYS);
        keys.add("max_concurrency");
        keys.add("fits");
        CONTRACT_KEYS = List.copyOf(keys);
    }


    @Test
    void should_print_every_contract_key_with_integer_bytes_in_json() throws Exception {
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json");

        for (String key : CONTRACT_KEYS) {
            assertTrue(j.has(key), "missing key " + key + " in " + j);
        }
        for (String key : BYTE_KEYS) {
            assertTrue(j.get(key).isIntegralNumber(), key + " is not an integer: " + j.get(key));
        }
        for (String key : COUNT_KEYS) {
            assertTrue(j.get(key).isIntegralNumber(), key + " is not an integer: " + j.get(key));
        }
        assertTrue(j.get("max_concurrency").isNumber());
        assertTrue(j.get("fits").isBoolean());
    }

    @Test
    void should_report_llama_3_1_8b_numbers_that_check_arithmetically() throws Exception {
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json");

        // MODEL.md: 8,030,261,248 params; bf16 is 2 bytes each; 131,072 B of KV per token
        assertEquals(8_030_261_248L, j.get("params").asLong());
        assertEquals(8_030_261_248L, j.get("active_params").asLong());
        assertEquals(2 * 8_030_261_248L, j.get("weights_bytes").asLong());
        assertEquals(131_072L, j.get("kv_bytes_per_token").asLong());
        assertEquals(131_072L, j.get("kv_bytes_per_token_per_gpu").asLong());
        // catalog/gpus/h100-sxm.json reported_memory_bytes: round(79.22 x 2^30), as vLLM logs it (validation M01)
        assertEquals(Math.round(79.22 * (1L << 30)), j.get("gpu_memory_bytes").asLong());
        // the pool is whole vLLM blocks of 16 tokens x 131,072 B
        long tokens = j.get("kv_cache_tokens").asLong();
        assertEquals(16 * j.get("kv_cache_blocks").asLong() * 131_072L, j.get("kv_cache_bytes_per_gpu").asLong());
        assertEquals(16 * j.get("kv_cache_blocks").asLong(), tokens, 1.0, "the log's tokens: concurrency x max_model_len");
        // the total is the sum of its terms (the newest vLLM deducts its CUDA graphs from the budget)
        assertEquals(j.get("weights_bytes_per_gpu").asLong() + j.get("activation_bytes_per_gpu").asLong()
                + j.get("runtime_overhead_bytes_per_gpu").asLong() + j.get("cuda_graph_bytes_per_gpu").asLong()
                + j.get("kv_cache_bytes_per_gpu").asLong(), j.get("total_bytes_per_gpu").asLong());
        // the engine's own figure: blocks / blocks per request of max_model_len (MODEL.md vLLM, "Maximum concurrency for N
        // tokens per request"); for a full-attention model that is pool tokens / max_model_len
        assertEquals((double) j.get("kv_cache_blocks").asLong() * 16 / j.get("max_model_len").asLong(),
                j.get("engine_max_concurrency").asDouble(), 1e-9);
        // max concurrency: whole sequences of this workload's 2,048 tokens (128 blocks each), capped by max_num_seqs (V1 on an
        // H100: 1,024)
        assertEquals(Math.min(j.get("kv_cache_blocks").asLong() / 128, 1024), j.get("max_concurrency").asLong());
        assertTrue(j.get("kv_budget_bytes_per_gpu").asLong() >= j.get("kv_cache_bytes_per_gpu").asLong(), "blocks fit the budget");
        assertTrue(j.get("largest_max_model_len").asLong() >= j.get("max_model_len").asLong());
        assertTrue(j.get("fits").asBoolean());
    }

    @Test
    void should_split_weights_and_kv_heads_under_tensor_parallelism() throws Exception {
        JsonNode one = Cli.json("estimate", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--tp", "8", "--format", "json");
        JsonNode sixteen = Cli.json("estimate", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--tp", "16", "--format", "json");

        // MODEL.md: 327,680 B/token for the whole model; max(1, 8 / TP) KV heads per rank
        assertEquals(327_680L, one.get("kv_bytes_per_token").asLong());
        assertEquals(327_680L / 8, one.get("kv_bytes_per_token_per_gpu").asLong());
        assertEquals(327_680L / 8, sixteen.get("kv_bytes_per_token_per_gpu").asLong(), "TP16 still holds one KV head per rank");
        assertEquals(8, one.get("gpus").asInt(), "--tp alone uses tp GPUs");
        assertEquals(2 * 70_553_706_496L, one.get("weights_bytes").asLong()); // MODEL.md: Llama-3.1-70B params x 2 bytes
        assertTrue(one.get("weights_bytes_per_gpu").asLong() < one.get("weights_bytes").asLong() / 8 + (1L << 30));
    }

    @Test
    void should_print_a_header_and_one_row_in_csv() {
        Cli r = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "csv");

        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        List<String> header = Csv.cells(lines.get(0));
        List<String> row = Csv.cells(lines.get(1));
        assertEquals(header.size(), row.size(), "one cell per column:\n" + r.out());
        assertTrue(header.containsAll(CONTRACT_KEYS), "header " + header);
        assertEquals("8030261248", row.get(header.indexOf("params")));
        assertEquals("131072", row.get(header.indexOf("kv_bytes_per_token")));
    }

    @Test
    void should_print_a_text_report_by_default() {
        Cli r = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("8,030,261,248"), r.out());
        assertTrue(r.out().contains("GiB"), r.out());
        assertTrue(r.out().contains("131,072 B"), r.out());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"vllm", "sglang", "trtllm", "llamacpp", "transformers"})
    void should_estimate_with_every_engine(String engine) throws Exception {
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--engine", engine,
                "--max-model-len", "4096", "--format", "json");

        assertEquals(engine, j.get("engine").asText());
        assertTrue(j.get("kv_cache_bytes_per_gpu").asLong() > 0, j.toString());
    }

    @Test
    void should_accept_a_config_json_path_as_the_model(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("config.json"), """
                {"model_type": "llama", "hidden_size": 4096, "num_hidden_layers": 32, "num_attention_heads": 32,
                 "num_key_value_heads": 8, "intermediate_size": 14336, "vocab_size": 128256, "tie_word_embeddings": false,
                 "max_position_embeddings": 131072, "torch_dtype": "bfloat16"}
                """);

        JsonNode j = Cli.json("estimate", "--model", file.toString(), "--gpu", "h100-sxm", "--format", "json");

        assertEquals(8_030_261_248L, j.get("params").asLong()); // MODEL.md: Llama-3.1-8B
    }
}
