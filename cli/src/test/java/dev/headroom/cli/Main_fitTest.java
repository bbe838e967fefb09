package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `fit`: the inverse questions, each checked against `estimate` run the way the answer says. */
class Main_fitTest {

    private static boolean fits(String... estimateArgs) throws Exception {
        String[] args = new String[estimateArgs.length + 3];
        args[0] = "estimate";
        System.arraycopy(estimateArgs, 0, args, 1, estimateArgs.length);
        args[args.length - 2] = "--format";
        args[args.length - 1] = "json";
        // estimate exits 0 when the workload fits and 1 when it does not; the JSON says the same
        Cli r = Cli.run(args);
        assertTrue(r.exit() == 0 || r.exit() == 1, "exit " + r.exit() + ": " + r.err());
        boolean fits = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("fits").asBoolean();
        assertEquals(r.exit() == 0, fits, "exit code and fits agree");
        return fits;
    }

    @Test
    void should_print_every_fit_key_in_json() throws Exception {
        JsonNode j = Cli.json("fit", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json");

        for (String key : List.of("fits", "largest_batch", "longest_context", "fewest_gpus", "cheapest_gpus")) {
            assertTrue(j.has(key), "missing " + key + " in " + j);
        }
        assertTrue(j.get("fits").asBoolean());
        assertTrue(j.get("largest_batch").isInt());
        assertTrue(j.get("longest_context").isInt());
        assertTrue(j.get("cheapest_gpus").isArray() && j.get("cheapest_gpus").size() > 0);
        assertTrue(j.get("cheapest_gpus").size() <= 5, "at most five cheapest GPUs");
    }

    @Test
    void should_answer_a_largest_batch_that_estimate_confirms() throws Exception {
        // GIVEN the default workload: 1024 in + 1024 out tokens
        JsonNode j = Cli.json("fit", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--format", "json");
        int b = j.get("largest_batch").asInt();

        // THEN estimate with the engine sized for 2048 tokens fits b sequences and not b + 1
        assertTrue(fits("--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--max-model-len", "2048", "--batch", String.valueOf(b)));
        assertFalse(fits("--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--max-model-len", "2048", "--batch", String.valueOf(b + 1)));
    }

    @Test
    void should_answer_a_longest_context_that_estimate_confirms() throws Exception {
        JsonNode j = Cli.json("fit", "--model", "llama-3.1-8b", "--gpu", "l40s", "--batch", "64", "--format", "json");
        int n = j.get("longest_context").asInt();

        // a context of n prompt tokens for 64 sequences fits with max length n; n + 1 does not (below the model's 131,072)
        String len = String.valueOf(n);
        String more = String.valueOf(n + 1);
        assertTrue(n < 131_072, "64 long sequences do not reach the model's maximum on a 48 GB card: " + n);
        assertTrue(fits("--model", "llama-3.1-8b", "--gpu", "l40s", "--batch", "64", "--input-tokens", len, "--output-tokens", "0",
                "--max-model-len", len));
        assertFalse(fits("--model", "llama-3.1-8b", "--gpu", "l40s", "--batch", "64", "--input-tokens", more, "--output-tokens", "0",
                "--max-model-len", more));
    }

    @Test
    void should_answer_the_fewest_gpus_that_estimate_confirms() throws Exception {
        // GIVEN Llama-3.1-70B bf16 (141 GB of weights) on H100s
        JsonNode j = Cli.json("fit", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--format", "json");

        // THEN it does not fit on one, and the answer {gpus: N, tp: N, pp: 1} fits where fewer does not
        assertFalse(j.get("fits").asBoolean());
        JsonNode fewest = j.get("fewest_gpus");
        int n = fewest.get("gpus").asInt();
        assertEquals(n, fewest.get("tp").asInt() * fewest.get("pp").asInt(), fewest.toString());
        assertTrue(fits("--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--gpus", String.valueOf(n), "--max-model-len", "2048"));
        assertFalse(fits("--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--gpus", String.valueOf(n / 2), "--max-model-len", "2048"));
    }

    @Test
    void should_list_the_cheapest_gpus_by_price_per_hour() throws Exception {
        JsonNode j = Cli.json("fit", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--format", "json");

        assertTrue(j.get("cheapest_gpus").size() >= 3, "a 70B model fits on several catalog GPUs: " + j.get("cheapest_gpus"));
        double previous = 0;
        for (JsonNode c : j.get("cheapest_gpus")) {
            assertTrue(c.get("gpus").asInt() >= 1, c.toString());
            if (!c.get("usd_per_hour").isNull()) {
                assertTrue(c.get("usd_per_hour").asDouble() >= previous, j.get("cheapest_gpus").toString());
                previous = c.get("usd_per_hour").asDouble();
            }
        }
    }
}
