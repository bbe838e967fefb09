package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelOptions_parseTest {
    @Test
    void should_read_startup_scripts_and_the_connection_file(@TempDir Path dir) throws IOException {
        Path startup = Files.writeString(dir.resolve("s.jsh"), "int x = 1;");
        KernelOptions options = KernelOptions.parse(new String[] {"--startup", startup.toString(), "conn.json"}, Map.of());
        assertEquals(Path.of("conn.json"), options.connectionFile());
        assertEquals(List.of(startup), options.startupScripts());
    }

    @Test
    void should_take_the_startup_script_from_the_environment_when_not_given(@TempDir Path dir) throws IOException {
        Path startup = Files.writeString(dir.resolve("s.jsh"), "int x = 1;");
        KernelOptions options = KernelOptions.parse(new String[] {"conn.json"}, Map.of("HEADROOM_STARTUP", startup.toString()));
        assertEquals(List.of(startup), options.startupScripts());
    }

    @Test
    void should_name_the_problem_in_the_users_terms() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KernelOptions.parse(new String[] {}, Map.of()))
                .getMessage().startsWith("no connection file given"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> KernelOptions.parse(new String[] {"--startup", "/no/such.jsh", "c.json"}, Map.of()))
                .getMessage().contains("startup script '/no/such.jsh' does not exist"));
    }
}
