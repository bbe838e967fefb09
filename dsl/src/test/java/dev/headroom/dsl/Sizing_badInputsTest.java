package dev.headroom.dsl;

import static dev.headroom.dsl.Sizing.model;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.engine.Engine;
import dev.headroom.core.hardware.Gpu;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * STYLE.md section 4 for the notebook's fluent API, as a table: each mistake is an {@link InvalidInputException}
 * whose one-line message names the step (or argument) and the value given. One line adds a case.
 */
class Sizing_badInputsTest {
    private static final Scenario S = model("llama-3.1-8b").on("h100-sxm");
    private static final Pattern NEGATIVE = Pattern.compile("(?<![\\w.\\-/@])-\\d");

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // null and empty arguments: the message names the method and the argument
                bad("model(null)", () -> model(null), "model(...)", "null"),
                bad("model(\"\")", () -> model(""), "model(...)", "empty"),
                bad("model(unknown)", () -> model("llama-9"), "model", "llama-9"),
                bad("gpu(null)", () -> Sizing.gpu(null), "gpu(...)", "null"),
                bad("spec(null)", () -> Sizing.spec(null), "spec(...)", "null"),
                bad("on(String null)", () -> S.on((String) null), "on(...)", "null"),
                bad("on(Gpu null)", () -> S.on((Gpu) null), "on(gpu)", "null"),
                bad("on(unknown)", () -> S.on("h100"), "GPU", "h100"),
                bad("weights(null)", () -> S.weights(null), "weights(...)", "null"),
                bad("weights(unknown)", () -> S.weights("int3"), "weight precision", "int3"),
                bad("kv(null)", () -> S.kv(null), "kv(...)", "null"),
                bad("kv(unknown)", () -> S.kv("fp9"), "KV cache precision", "fp9"),
                bad("engine(String null)", () -> S.engine((String) null), "engine(...)", "null"),
                bad("engine(Engine null)", () -> S.engine((Engine) null), "engine(engine)", "null"),
                bad("engine(name, null)", () -> S.engine("vllm", null), "engine(\"vllm\", version)", "null"),
                bad("engine(unknown)", () -> S.engine("vlm"), "engine", "vlm"),
                bad("set(null, 1)", () -> S.set(null, 1), "set(...)", "null"),
                bad("set(knob, null)", () -> S.set("block_size", null), "set(block_size, value)", "null"),
                bad("set(unknown knob)", () -> S.set("block_sise", 16), "vllm setting", "block_sise"),
                bad("set(knob, not a number)", () -> S.set("block_size", "big"), "block_size", "big"),
                bad("efficiency(null)", () -> S.efficiency(null), "efficiency(adjust)", "null"),
                bad("efficiency(returns null)", () -> S.efficiency(e -> null).estimate(), "efficiency(adjust)", "null"),
                // ranges: the message names the step and the value
                bad("gpus(0)", () -> S.gpus(0), "gpus(0)", "positive"),
                bad("tp(0)", () -> S.tp(0), "tp(0)", "positive"),
                bad("pp(-1)", () -> S.pp(-1), "pp(-1)", "positive"),
                bad("ep(0)", () -> S.ep(0), "ep(0)", "positive"),
                bad("batch(-1)", () -> S.batch(-1), "batch(-1)", "positive"),
                bad("input(0)", () -> S.input(0), "input(0)", "positive"),
                bad("output(-1)", () -> S.output(-1), "output(-1)", "zero or more"),
                bad("concurrency(0)", () -> S.concurrency(0), "concurrency(0)", "positive"),
                bad("rate(NaN)", () -> S.rate(Double.NaN), "rate(NaN)", "positive"),
                bad("rate(Infinity)", () -> S.rate(Double.POSITIVE_INFINITY), "rate(Infinity)", "finite"),
                bad("pricePerGpuHour(-1)", () -> S.pricePerGpuHour(-1), "pricePerGpuHour(-1.0)", "positive"),
                bad("utilization(2)", () -> S.utilization(2), "utilization(2.0)", "(0, 1]"),
                bad("maxLength(0)", () -> S.maxLength(0), "maxLength(0)", "positive"),
                bad("maxLength beyond the model", () -> S.maxLength(1_000_000), "maxLength(1000000)", "131072"),
                bad("planForUsers(0, 1)", () -> S.planForUsers(0, 1), "planForUsers(0)", "positive"),
                bad("planForUsers(1, NaN)", () -> S.planForUsers(1, Double.NaN), "planForUsers(users, NaN)", "positive"),
                bad("planForRate(1, 0, 1)", () -> S.planForRate(1, 0, 1), "planForRate(rate, 0.0, tpotMs)", "positive"),
                // arithmetic limits: a size too large to count is refused, naming the steps that set it
                bad("input(2^31-1)", () -> S.input(Integer.MAX_VALUE), "input tokens + output tokens", "2147484671"),
                bad("batch(10^6) x input(2^30)", () -> S.batch(1_000_000).input(1 << 30).output(0).memory(), "batch(1000000)", "input(1073741824)"),
                bad("batch(2^31-1) at 130k tokens", () -> S.batch(Integer.MAX_VALUE).input(130_000).estimate(), "batch(2147483647)", "too large"),
                bad("tp(2^16) x pp(2^16)", () -> S.tp(1 << 16).pp(1 << 16).memory(), "tp(65536) x pp(65536)", "4294967296"),
                bad("gpus(2^31-1)", () -> S.gpus(Integer.MAX_VALUE).memory(), "tp", "2147483647"),
                bad("pp(2^31-1)", () -> S.pp(Integer.MAX_VALUE).memory(), "pp", "2147483647"),
                bad("no GPU chosen", () -> model("llama-3.1-8b").memory(), "no GPU chosen", "llama-3.1-8b"),
                bad("fewestGpus of what fits nowhere", () -> S.input(100_000).batch(100_000).fewestGpus(), "batch 100000", "h100-sxm"),
                // sweeps
                bad("sweep batch(null)", () -> S.sweep().batch((int[]) null), "batch(...)", "null"),
                bad("sweep batch()", () -> S.sweep().batch(), "batch", "at least one value"),
                bad("sweep batch(1, 0)", () -> S.sweep().batch(1, 0), "batch(0)", "positive"),
                bad("sweep gpu(null)", () -> S.sweep().gpu((String[]) null), "gpu(...)", "null"),
                bad("sweep gpu(a, null)", () -> S.sweep().gpu("h100-sxm", null), "gpu(...)", "null"),
                bad("sweep gpu(unknown)", () -> S.sweep().gpu("h1000").table(), "GPU", "h1000"),
                bad("sweep model(unknown)", () -> S.sweep().model("llama-9").table(), "model", "llama-9"),
                bad("sweep gpus(0)", () -> S.sweep().gpus(0).table(), "gpus(0)", "positive"),
                bad("sweep axis(null, ...)", () -> S.sweep().axis(null, List.of(1), (s, v) -> s), "axis(...)", "null"),
                bad("sweep axis(values null)", () -> S.sweep().axis("a", null, (s, v) -> s), "axis(a, values, ...)", "null"),
                bad("sweep axis(a null value)", () -> S.sweep().axis("a", Arrays.asList(1, null), (s, v) -> s), "axis 'a'", "null value"),
                bad("sweep axis(step null)", () -> S.sweep().axis("a", List.of(1), null), "axis(a, values, step)", "null"),
                bad("sweep axis(step returns null)", () -> S.sweep().axis("ctx", List.of(7), (s, v) -> null).table(), "axis(\"ctx\", ...)", "7"),
                bad("sweep table(null)", () -> S.sweep().batch(1).table(null), "table(columns)", "null"),
                bad("sweep larger than the heap", () -> S.sweep().batch(IntStream.rangeClosed(1, 100_000).toArray())
                        .input(IntStream.rangeClosed(1, 100_000).toArray()).table(), "10,000,000,000 rows", "heap"),
                // tables and plots
                bad("Tables.of(null)", () -> Tables.of(null), "of(estimates)", "null"),
                bad("Tables.kvPerToken(null)", () -> Tables.kvPerToken((String[]) null), "kvPerToken(models)", "null"),
                bad("Tables.kvPerToken(unknown)", () -> Tables.kvPerToken("llama-9"), "model", "llama-9"),
                bad("Tables.fits(null)", () -> Tables.fits(null), "fits(fits)", "null"),
                bad("Plots.memory(null, x)", () -> Plots.memory(null, "batch"), "memory(sweep, ...)", "null"),
                bad("Plots.memory(t, null)", () -> Plots.memory(S.sweep().batch(1, 2).table(), null), "memory(sweep, xColumn)", "null"),
                bad("Plots.memory(t, unknown)", () -> Plots.memory(S.sweep().batch(1, 2).table(), "bacth"), "column", "bacth"),
                bad("Plots.bars(t, x, text)", () -> Plots.bars(S.sweep().batch(1, 2).table(), "batch", "gpu"), "column 'gpu'", "not numeric"),
                bad("Plots.line(null, x, y)", () -> Plots.line(null, "batch", "tpot_ms"), "line(table, ...)", "null"));
    }

    private static Arguments bad(String what, Executable call, String names, String value) {
        return Arguments.of(what, call, names, value);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void should_refuse_with_one_line_naming_the_step_and_the_value(String what, Executable call, String names, String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class, call);

        String message = e.getMessage();
        assertFalse(message.isBlank(), "a message");
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.contains(names), "names '" + names + "': " + message);
        assertTrue(message.contains(value), "names the value '" + value + "': " + message);
        String rest = message.replace(value, "").replace(names, "");
        assertFalse(rest.contains("NaN") || rest.contains("Infinity"), "no NaN or infinity it was not given: " + message);
        assertFalse(NEGATIVE.matcher(rest).find(), "no negative number it was not given: " + message);
    }
}
