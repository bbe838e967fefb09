package dev.headroom.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep's table is built on several threads; on a fresh JVM, Tablesaw's column classes initialise each other and
 * used to deadlock about every other run ('headroom sweep' hung). Only a new JVM has uninitialised classes, so this
 * starts a few, at once, and each must finish.
 */
class Main_sweepFreshJvmTest {
    private static final int JVMS = 3;

    @Test
    void should_finish_a_sweep_on_every_fresh_jvm(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < JVMS; i++) {
            runs.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "sweep", "--model", "llama-3.1-8b", "--gpu", "h100-sxm", "--batch", "1,8", "--format", "csv")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("run" + i + ".txt").toFile()).start());
        }
        for (int i = 0; i < JVMS; i++) {
            Process p = runs.get(i);
            boolean finished = p.waitFor(60, TimeUnit.SECONDS);
            if (!finished) {
                runs.forEach(Process::destroyForcibly);
            }
            String out = Files.readString(dir.resolve("run" + i + ".txt"));
            assertTrue(finished, "run " + i + " hung building the sweep table:\n" + out);
            assertEquals(0, p.exitValue(), out);
            assertEquals(3, out.strip().lines().count(), "a header and two rows:\n" + out);
        }
    }
}
