package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real kernel (kernelspec from install-kernel.sh with HEADROOM_KERNEL_XMX=512m) under
 * jupyter_client, put through what kills or confuses a kernel: an interrupted sweep, a cell that
 * catches everything, System.exit and Runtime.halt, a stack overflow, an exhausted heap, a thread that
 * outlives its cell, a user mistake, display updates, %maven offline. After each, the next cell answers.
 * The kernel's CPU time is read from /proc.
 */
class Kernel_robustnessIT {
    private static JsonObject checks;
    private static String report;

    @BeforeAll
    static void runRobustnessSession() throws Exception {
        Path work = ItEnvironment.freshWorkDir("robustness");
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath, Map.of("HEADROOM_KERNEL_XMX", "512m"));
        String kernelJson = Files.readString(jupyterPath.resolve("kernels/headroom/kernel.json"));
        assertTrue(kernelJson.contains("\"interrupt_mode\": \"message\""), kernelJson);
        assertTrue(kernelJson.contains("\"-Xmx512m\""), kernelJson);
        assertTrue(kernelJson.contains("\"-XX:SharedArchiveFile="), "the kernel starts with its class-data archive: " + kernelJson);
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Map<String, String> env = new HashMap<>(ItEnvironment.jupyterEnvironment(work, jupyterPath));
        env.put(MavenResolver.REPO_ENV, "http://127.0.0.1:" + closedPort + "/maven2/");
        env.put(MavenResolver.LOCAL_ENV, work.resolve("m2").toString());
        ItEnvironment.ProcessResult result = ItEnvironment.run(
                List.of(ItEnvironment.python(), ItEnvironment.testResource("/driver/kernel_driver.py").toString(),
                        "robustness", "--kernel", "headroom", "--timeout", "90"),
                env, Duration.ofMinutes(6), work);
        report = result.describe();
        Files.writeString(work.resolve("robustness.jsonl"), result.stdout());
        ItEnvironment.assertNoHang(result, "the robustness driver");
        assertEquals(0, result.exitCode(), report);
        List<String> lines = result.stdout().lines().toList();
        checks = new JsonParser().parse(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals("robustness", checks.get("summary").getAsString(), report);
        System.out.println("robustness session: " + checks);
    }

    private static String text(String key) {
        JsonElement value = checks.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    private static List<String> traceback(JsonObject check) {
        List<String> lines = new ArrayList<>();
        JsonElement traceback = check.get("traceback");
        if (traceback != null && traceback.isJsonArray()) {
            traceback.getAsJsonArray().forEach(line -> lines.add(line.getAsString()));
        }
        return lines;
    }

    private static void assertStoppedAndIdle(String key) {
        JsonObject interrupt = checks.getAsJsonObject(key);
        String what = key + ": " + interrupt;
        // (a machine shared with other builds may give the cell less than a core; half of one still shows it computing)
        assertTrue(interrupt.get("busy_cpu_s").getAsDouble() > 0.5, "the cell kept the CPU busy before the interrupt: " + what);
        assertEquals("error", interrupt.get("status").getAsString(), what);
        assertEquals("Interrupted", interrupt.get("ename").getAsString(), what);
        assertTrue(interrupt.get("reply_s").getAsDouble() < 2.0, "answered within 2 s: " + what);
        // idle within 2 s: under a third of a core in the second that starts 2 s after the interrupt
        assertTrue(interrupt.get("cpu_after_s").getAsDouble() < 0.33, "CPU back to idle: " + what);
        assertEquals("42", text("after_" + key), "the next cell answers after " + key);
    }

    @Test
    void should_sweep_1000_rows() {
        assertEquals("1000", text("sweep_rows"), report);
    }

    @Test
    void should_stop_an_interrupted_sweep_and_return_the_cpu_to_idle_within_2_s() {
        assertStoppedAndIdle("interrupt_sweep");
    }

    @Test
    void should_stop_a_cell_that_catches_everything() {
        assertStoppedAndIdle("interrupt_catch_all");
    }

    @Test
    void should_refuse_system_exit_and_runtime_halt_and_stay_alive() {
        for (String key : List.of("exit", "halt")) {
            JsonObject check = checks.getAsJsonObject(key);
            assertEquals("error", check.get("status").getAsString(), check.toString());
            assertEquals("ExitRefused", check.get("ename").getAsString(), check.toString());
            assertTrue(check.get("alive").getAsBoolean());
            List<String> lines = traceback(check);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.get(0).contains("was refused: it would end the kernel"), lines.toString());
            assertEquals("42", text("after_" + key));
        }
    }

    @Test
    void should_show_a_stack_overflow_in_a_dozen_lines() {
        JsonObject check = checks.getAsJsonObject("stack_overflow");
        assertEquals("StackOverflowError", check.get("ename").getAsString());
        List<String> lines = traceback(check);
        assertTrue(lines.size() <= 13, lines.size() + " lines: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.matches("    \\.\\.\\. [\\d,]+ frames omitted \\.\\.\\.")), lines.toString());
        assertEquals("42", text("after_stack_overflow"));
    }

    @Test
    void should_name_the_heap_and_how_to_raise_it_when_a_cell_exhausts_it_and_stay_responsive() {
        for (String key : List.of("huge_array", "growing_list")) {
            JsonObject check = checks.getAsJsonObject(key);
            assertEquals("OutOfMemoryError", check.get("ename").getAsString(), check.toString());
            assertTrue(check.get("alive").getAsBoolean());
            String text = String.join("\n", traceback(check));
            assertTrue(text.contains("(-Xmx512m)"), text);
            assertTrue(text.contains("HEADROOM_KERNEL_XMX=8g"), text);
            assertEquals("42", text("after_" + key), "the next cell answers after " + key);
        }
        String listText = String.join("\n", traceback(checks.getAsJsonObject("growing_list")));
        assertTrue(listText.contains("this cell's hog was set to null"), listText);
    }

    @Test
    void should_attribute_the_output_of_a_thread_that_outlives_its_cell() {
        JsonObject ticker = checks.getAsJsonObject("ticker_cell");
        assertTrue(ticker.get("stdout").getAsString().startsWith("tick 0\n"), ticker.toString());
        assertTrue(ticker.get("stderr").getAsString().contains("this cell left 1 thread running: ticker"), ticker.toString());
        String label = "In [" + ticker.get("count").getAsInt() + "]";
        String next = text("after_ticker");
        List<String> lines = next.lines().toList();
        assertTrue(lines.contains("mine"), next);
        assertTrue(lines.size() > 1, "the ticker's later lines show up, attributed: " + next);
        for (String line : lines) {
            assertTrue(line.equals("mine") || line.matches("\\[" + java.util.regex.Pattern.quote(label) + " · ticker] tick \\d"), line);
        }
    }

    @Test
    void should_show_a_user_mistake_in_one_line() {
        JsonObject check = checks.getAsJsonObject("user_error");
        assertEquals("InvalidInputException", check.get("ename").getAsString(), check.toString());
        List<String> lines = traceback(check);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("InvalidInputException: ") && lines.get(0).endsWith("(line 1)"), lines.toString());
    }

    @Test
    void should_display_and_update_in_place_through_jupyter() {
        JsonArray shown = checks.getAsJsonArray("display");
        assertEquals(2, shown.size(), shown.toString());
        JsonObject first = shown.get(0).getAsJsonObject();
        JsonObject second = shown.get(1).getAsJsonObject();
        assertEquals("display_data", first.get("kind").getAsString());
        assertEquals("update_display_data", second.get("kind").getAsString());
        assertEquals(first.get("display_id").getAsString(), second.get("display_id").getAsString());
        assertTrue(second.get("text").getAsString().contains("done"), shown.toString());
    }

    @Test
    void should_say_in_one_line_that_maven_needs_the_network() {
        JsonObject check = checks.getAsJsonObject("maven_offline");
        assertEquals("MavenError", check.get("ename").getAsString(), check.toString());
        String message = check.get("evalue").getAsString();
        assertTrue(message.startsWith("%maven needs network access to http://127.0.0.1:"), message);
        assertEquals(1, message.lines().count());
    }
}
