package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.headroom.core.catalog.Catalog;
import dev.headroom.core.hardware.Gpu;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** `plan`: GPUs for a target, cheapest first; a missing half of a target is a user mistake. */
class Main_planTest {
    private static final Set<String> GPU_IDS = Catalog.gpus().stream().map(Gpu::id).collect(Collectors.toSet());


    @Test
    void should_print_a_table_whose_rows_start_with_a_catalog_gpu() {
        // WHEN 50 users are sized for, 20 s per answer of 256 tokens
        Cli r = Cli.run("plan", "--model", "llama-3.1-8b", "--users", "50", "--latency-s", "20", "--input-tokens", "1024",
                "--output-tokens", "256");

        // THEN a title line, a header naming the columns, and data rows led by a catalog GPU id
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith("Sizing llama-3.1-8b for 50 concurrent users"), lines.get(0));
        List<String> header = List.of(lines.get(1).trim().split("\\s+"));
        assertEquals(List.of("gpu", "tp", "replicas", "gpus"), header.subList(0, 4), lines.get(1));
        assertTrue(lines.size() > 3, r.out());
        String[] first = lines.get(2).trim().split("\\s+");
        assertTrue(GPU_IDS.contains(first[0]), "first data row: " + lines.get(2));
        // gpus = tp x replicas
        assertEquals(Integer.parseInt(first[1]) * Integer.parseInt(first[2]), Integer.parseInt(first[3]), lines.get(2));
    }

    @Test
    void should_list_options_with_gpu_tp_replicas_and_gpus_in_json() throws Exception {
        Cli r = Cli.run("plan", "--model", "llama-3.1-8b", "--users", "50", "--latency-s", "20", "--format", "json");

        assertEquals(0, r.exit(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("llama-3.1-8b", j.get("model").asText());
        JsonNode options = j.get("options");
        assertTrue(options.isArray() && options.size() > 0, j.toString());
        double previous = 0;
        boolean unpriced = false;
        for (JsonNode o : options) {
            assertTrue(GPU_IDS.contains(o.get("gpu").asText()), o.toString());
            assertTrue(List.of(1, 2, 4, 8).contains(o.get("tp").asInt()), o.toString());
            assertTrue(o.get("replicas").asInt() >= 1, o.toString());
            assertEquals(o.get("tp").asInt() * o.get("replicas").asInt(), o.get("gpus").asInt(), o.toString());
            // 20 s for the default 1024 output tokens: TPOT at most 19.53 ms (rounded to 2 decimals)
            assertTrue(o.get("tpot_ms").asDouble() <= 20_000.0 / 1024 + 0.005, o.toString());
            // cheapest first, unpriced last
            if (o.get("usd_per_hour").isNull()) {
                unpriced = true;
            } else {
                assertFalse(unpriced, "priced after unpriced: " + o);
                assertTrue(o.get("usd_per_hour").asDouble() >= previous, o.toString());
                previous = o.get("usd_per_hour").asDouble();
            }
        }
    }

    @Test
    void should_meet_the_rate_target_on_one_gpu() throws Exception {
        Cli r = Cli.run("plan", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--request-rate", "10", "--ttft-ms", "500",
                "--tpot-ms", "50", "--format", "json");

        assertEquals(0, r.exit(), r.err());
        JsonNode options = new ObjectMapper().readTree(r.out()).get("options");
        assertEquals(1, options.size(), options.toString());
        JsonNode o = options.get(0);
        assertEquals("h100-sxm", o.get("gpu").asText());
        assertTrue(o.get("ttft_ms").asDouble() <= 500, o.toString());
        assertTrue(o.get("tpot_ms").asDouble() <= 50, o.toString());
        // "x.xx req/s" per replica x replicas carries the 10 requests/s
        double perReplica = Double.parseDouble(o.get("per_replica").asText().replace(" req/s", ""));
        assertTrue(perReplica * o.get("replicas").asInt() >= 10 - 0.005 * o.get("replicas").asInt(), o.toString());
    }

    @Test
    void should_ask_for_a_target_when_none_is_given() {
        String line = Cli.run("plan", "--model", "llama-3.1-8b").userMistake();

        assertTrue(line.contains("--users"), line);
        assertTrue(line.contains("--latency-s"), line);
        assertTrue(line.contains("--request-rate"), line);
    }

    @Test
    void should_ask_for_the_latency_when_only_users_are_given() {
        String line = Cli.run("plan", "--model", "llama-3.1-8b", "--users", "5").userMistake();

        assertTrue(line.contains("--latency-s"), line);
    }

    @Test
    void should_ask_for_the_tpot_limit_when_a_rate_target_lacks_it() {
        String line = Cli.run("plan", "--model", "llama-3.1-8b", "--request-rate", "5", "--ttft-ms", "100").userMistake();

        assertTrue(line.contains("--tpot-ms"), line);
    }

    @Test
    void should_refuse_a_target_mixing_users_and_a_rate() {
        String line = Cli.run("plan", "--model", "llama-3.1-8b", "--users", "5", "--latency-s", "10", "--request-rate", "3",
                "--ttft-ms", "100", "--tpot-ms", "50").userMistake();

        assertTrue(line.contains("one target"), line);
    }

    @Test
    void should_name_a_negative_user_count() {
        String line = Cli.run("plan", "--model", "llama-3.1-8b", "--users", "-3", "--latency-s", "10").userMistake();

        assertTrue(line.contains("--users = -3 "), line);
    }
}
