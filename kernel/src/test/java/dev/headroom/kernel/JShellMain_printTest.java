package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kernel-setup/jshell.sh's JShell prints a long value whole, where JShell's own modes cut it at 1,000 characters. */
class JShellMain_printTest {

    @Test
    void should_print_a_value_of_several_thousand_characters_whole() throws Exception {
        // GIVEN JShellMain started as jshell.sh starts it, reading a cell from its input
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), JShellMain.class.getName(),
                "--no-startup")).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            // WHEN a value of 3,000 characters (600 words) is the result of a cell
            in.write("\"word \".repeat(600) + \"end\"\n/exit\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jshell exited");

        // THEN every word is printed, and the value's end
        assertEquals(600, Notebooks_executeIT.count(out, "word"), out);
        assertTrue(out.contains("word end"), out);
    }
}
