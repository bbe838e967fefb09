package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The real kernel (shaded jar, kernelspec from install-kernel.sh) started and stopped by jupyter_client. */
class Kernel_lifecycleIT {
    private static final int CYCLES = 50;
    private static final Duration ALL_CYCLES_LIMIT = Duration.ofMinutes(4);

    @Test
    void should_start_execute_and_shut_down_50_times_in_a_row_without_a_hang() throws IOException {
        // GIVEN the kernelspec installed into a throw-away JUPYTER_PATH
        Path work = ItEnvironment.freshWorkDir("lifecycle");
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        String python = ItEnvironment.python();
        // WHEN jupyter_client starts the kernel, runs 1+1 and shuts it down, 50 times (30 s limit per step)
        ItEnvironment.ProcessResult result = ItEnvironment.run(
                List.of(python, ItEnvironment.testResource("/driver/kernel_driver.py").toString(),
                        "cycles", "--kernel", "headroom", "--count", String.valueOf(CYCLES), "--timeout", "30"),
                ItEnvironment.jupyterEnvironment(work, jupyterPath), ALL_CYCLES_LIMIT, work);
        Files.writeString(work.resolve("cycles.jsonl"), result.stdout());
        Files.writeString(work.resolve("cycles.stderr"), result.stderr());
        // THEN every cycle answered 2 and shut down, with no hang
        ItEnvironment.assertNoHang(result, "the 50-cycle driver");
        assertEquals(0, result.exitCode(), result.describe());
        List<String> lines = result.stdout().lines().toList();
        JsonObject summary = new JsonParser().parse(lines.get(lines.size() - 1)).getAsJsonObject();
        assertEquals("cycles", summary.get("summary").getAsString(), result.describe());
        assertEquals(CYCLES, summary.get("count").getAsInt());
        assertEquals(0, summary.get("hangs").getAsInt());
        System.out.println("kernel start→1+1→shutdown x" + CYCLES + ": " + summary + " (details in " + work.resolve("cycles.jsonl") + ")");
        assertTrue(summary.get("max_first_result_s").getAsDouble() < 30);
        // AND the kernel wrote nothing alarming to stderr
        assertTrue(!result.stderr().contains("Exception"), "kernel stderr mentions an exception:\n" + result.stderr());
    }
}
