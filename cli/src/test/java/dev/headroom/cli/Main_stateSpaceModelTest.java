package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pure state-space models read and show like any model, but the engines' KV budgets cannot size them yet: sizing
 * commands refuse them in one line instead of failing inside an engine.
 */
class Main_stateSpaceModelTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"estimate", "fit", "plan --users 10 --latency-s 20"})
    void should_refuse_to_size_a_model_without_a_token_cache(String command) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.addAll(java.util.List.of("--model", "falcon-mamba-7b", "--gpu", "h100-sxm"));
        String line = Cli.run(args.toArray(String[]::new)).userMistake();

        assertTrue(line.startsWith("falcon-mamba-7b caches no tokens"), line);
        assertTrue(line.contains("catalog show falcon-mamba-7b"), line);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"falcon-mamba-7b", "mamba-codestral-7b"})
    void should_still_show_it(String id) {
        assertEquals(0, Cli.run("catalog", "show", id).exit());
    }
}
