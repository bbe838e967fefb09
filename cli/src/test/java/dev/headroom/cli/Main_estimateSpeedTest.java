package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `estimate` speed and cost: the issue-4 keys, the load options and their mistakes. */
class Main_estimateSpeedTest {
    /** Issue 4: the speed and cost keys every JSON estimate carries (durations in milliseconds, one unit everywhere). */
    static final List<String> SPEED_AND_COST_KEYS = List.of("ttft_ms", "tpot_ms", "e2e_latency_ms", "output_tokens_per_s",
            "output_tokens_per_s_per_gpu", "total_tokens_per_s", "concurrency", "bottleneck", "usd_per_hour",
            "usd_per_million_output_tokens", "usd_per_million_input_tokens");



    @Test
    void should_print_every_speed_and_cost_key_in_json() throws Exception {
        // WHEN a default estimate is printed as JSON
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json");

        // THEN each key is there with a number, the bottleneck with a word
        for (String key : SPEED_AND_COST_KEYS) {
            assertTrue(j.has(key), "missing " + key + " in " + j);
        }
        for (String key : SPEED_AND_COST_KEYS) {
            if (!key.equals("bottleneck")) {
                assertTrue(j.get(key).isNumber(), key + " = " + j.get(key));
                assertTrue(j.get(key).asDouble() > 0, key + " = " + j.get(key));
            }
        }
        assertTrue(List.of("memory bandwidth", "compute", "communication", "KV capacity", "engine max sequences")
                .contains(j.get("bottleneck").asText()), j.get("bottleneck").asText());
        // e2e = TTFT + (output - 1) x TPOT for the default 1024 output tokens (numbers are printed unrounded)
        assertEquals(j.get("ttft_ms").asDouble() + 1023 * j.get("tpot_ms").asDouble(), j.get("e2e_latency_ms").asDouble(),
                1e-9 * j.get("e2e_latency_ms").asDouble());
        // one GPU: per GPU = whole; total = output x (1 + 1024/1024)
        assertEquals(j.get("output_tokens_per_s").asDouble(), j.get("output_tokens_per_s_per_gpu").asDouble(), 1e-9);
        assertEquals(2 * j.get("output_tokens_per_s").asDouble(), j.get("total_tokens_per_s").asDouble(), 1e-9);
    }

    @Test
    void should_resolve_concurrency_max_to_the_requests_the_pool_and_engine_admit() throws Exception {
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--max-model-len", "8192",
                "--concurrency", "max", "--format", "json");

        // min(floor(pool tokens / (1024 in + 1024/2 out)), engine max sequences)
        double expected = Math.min(Math.floor(j.get("kv_cache_tokens").asLong() / (1024 + 1024 / 2.0)),
                j.get("engine_max_sequences").asInt());
        assertTrue(j.get("concurrency").asDouble() > 1, j.toString());
        assertEquals(expected, j.get("concurrency").asDouble(), 1e-9);
        assertEquals("saturating throughput", j.get("load").asText());
    }

    @Test
    void should_name_the_flag_for_a_concurrency_that_is_not_a_number() {
        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "abc").userMistake();

        assertTrue(line.contains("--concurrency"), line);
        assertTrue(line.contains("abc"), line);
        assertTrue(line.contains("max"), "offers 'max': " + line);
    }

    @Test
    void should_name_the_concurrency_when_it_is_zero() {
        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "0").userMistake();

        assertTrue(line.contains("--concurrency = 0 "), line);
    }

    @Test
    void should_refuse_both_concurrency_and_request_rate_naming_both() {
        String line = Cli.run("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--concurrency", "4",
                "--request-rate", "2").userMistake();

        assertTrue(line.contains("--concurrency"), line);
        assertTrue(line.contains("--request-rate"), line);
    }

    @Test
    void should_charge_the_stated_gpu_price_per_hour() throws Exception {
        JsonNode one = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpu-price-per-hour", "2", "--format", "json");
        JsonNode two = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--gpus", "2", "--gpu-price-per-hour", "2",
                "--format", "json");

        // $2 per GPU-hour x 1 GPU, then x 2 GPUs; a month is 730 hours
        assertEquals(2.0, one.get("usd_per_gpu_hour").asDouble(), 1e-12);
        assertEquals(2.0, one.get("usd_per_hour").asDouble(), 1e-12);
        assertEquals(2.0 * 730, one.get("usd_per_month").asDouble(), 1e-9);
        assertEquals(4.0, two.get("usd_per_hour").asDouble(), 1e-12);
        assertTrue(one.get("price_source").asText().startsWith("user"), one.get("price_source").asText());
    }

    @Test
    void should_report_output_tokens_as_rate_times_output_at_a_low_request_rate() throws Exception {
        // GIVEN 2 requests/s of 1024 in / 256 out on an H100, far below what it saturates at
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--request-rate", "2", "--input-tokens", "1024",
                "--output-tokens", "256", "--max-model-len", "4096", "--format", "json");

        // THEN every request is served: 2 x 256 = 512 output tokens/s, 2 x (1024 + 256) = 2560 tokens/s in all
        assertEquals(512.0, j.get("output_tokens_per_s").asDouble(), 1e-9);
        assertEquals(2560.0, j.get("total_tokens_per_s").asDouble(), 1e-9);
        assertTrue(j.get("ttft_ms").asDouble() > 0);
        assertEquals("request rate", j.get("load").asText());
        assertEquals(2.0, j.get("request_rate").asDouble(), 0);
    }

    @Test
    void should_leave_ttft_null_when_the_request_rate_overloads_the_gpu() throws Exception {
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "l4", "--request-rate", "1000", "--max-model-len", "4096",
                "--format", "json");

        assertEquals("overloaded", j.get("bottleneck").asText());
        assertTrue(j.get("ttft_ms").isNull(), j.toString());
        assertTrue(j.get("e2e_latency_ms").isNull(), j.toString());
        assertTrue(j.get("output_tokens_per_s").asDouble() > 0);
    }

    @Test
    void should_say_how_to_price_a_gpu_the_catalog_has_no_price_for() throws Exception {
        // the MI355X has no listing in catalog/prices
        JsonNode j = Cli.json("estimate", "--model", "llama-3.1-8b", "--gpu", "mi355x", "--max-model-len", "8192", "--format", "json");

        assertTrue(j.get("usd_per_hour").isNull(), j.toString());
        assertTrue(j.get("tpot_ms").asDouble() > 0, j.toString());
        assertTrue(j.get("unavailable").asText().contains("--gpu-price-per-hour"), j.get("unavailable").asText());
        assertTrue(j.get("unavailable").asText().contains("mi355x"), j.get("unavailable").asText());
    }
}
