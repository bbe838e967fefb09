package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real kernel session through jupyter_client: values, errors, streams, completion, interrupt. */
class Kernel_sessionIT {
    private static JsonObject checks;
    private static String report;

    @BeforeAll
    static void runSession() {
        Path work = ItEnvironment.freshWorkDir("session");
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        ItEnvironment.ProcessResult result = ItEnvironment.run(
                List.of(ItEnvironment.python(), ItEnvironment.testResource("/driver/kernel_driver.py").toString(),
                        "session", "--kernel", "headroom", "--timeout", "60"),
                ItEnvironment.jupyterEnvironment(work, jupyterPath), Duration.ofMinutes(4), work);
        report = result.describe();
        ItEnvironment.assertNoHang(result, "the session driver");
        assertEquals(0, result.exitCode(), report);
        List<String> lines = result.stdout().lines().toList();
        checks = new JsonParser().parse(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals("session", checks.get("summary").getAsString(), report);
    }

    private static String text(String key) {
        JsonElement value = checks.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }

    @Test
    void should_return_the_value_of_the_last_expression() {
        assertEquals("42", text("value"), report);
    }

    @Test
    void should_answer_the_next_cell_after_a_cell_that_throws() {
        assertEquals("error", text("throw_status"));
        assertEquals("IllegalStateException", text("throw_ename"));
        assertEquals("boom in a cell", text("throw_evalue"));
        assertEquals("java.lang.IllegalStateException: boom in a cell", checks.getAsJsonArray("throw_traceback").get(0).getAsString());
        assertEquals("40", text("after_throw"));
    }

    @Test
    void should_report_a_compile_error_by_line_and_column() {
        assertEquals("CompilationError", text("compile_ename"));
        assertTrue(text("compile_evalue").startsWith("line 1, column 9: cannot find symbol"), text("compile_evalue"));
    }

    @Test
    void should_stream_output_while_the_cell_runs() {
        // The cell prints, sleeps 1.5 s, prints again: the first line must arrive before the sleep ends.
        JsonArray streams = checks.getAsJsonArray("streams");
        List<String> texts = new ArrayList<>();
        streams.forEach(s -> texts.add(s.getAsJsonArray().get(0).getAsString()));
        assertEquals("first\nsecond\n", String.join("", texts), streams.toString());
        double firstArrival = streams.get(0).getAsJsonArray().get(1).getAsDouble();
        assertTrue(firstArrival < 1.2, "first line arrived after " + firstArrival + " s: " + streams);
    }

    @Test
    void should_complete_names() {
        List<String> matches = new ArrayList<>();
        checks.getAsJsonArray("complete_Tab").forEach(m -> matches.add(m.getAsString()));
        assertTrue(matches.contains("Table"), matches.toString());
        assertEquals("incomplete", text("is_complete_open_loop"));
    }

    @Test
    void should_interrupt_an_infinite_loop_and_keep_the_session() {
        assertEquals("error", text("interrupt_status"));
        assertEquals("Interrupted", text("interrupt_ename"));
        assertTrue(checks.get("interrupt_s").getAsDouble() < 5, text("interrupt_s"));
        assertEquals("21", text("after_interrupt"));
    }
}
