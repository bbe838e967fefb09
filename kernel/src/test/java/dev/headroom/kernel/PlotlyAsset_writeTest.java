package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotlyAsset_writeTest {
    @Test
    void should_write_the_offline_plotly_library_beside_a_report(@TempDir Path dir) throws IOException {
        Path written = PlotlyAsset.writeTo(dir.resolve("report"));
        assertEquals(dir.resolve("report").resolve("plotly-" + PlotlyAsset.VERSION + ".js"), written);
        assertTrue(Files.size(written) > 5_000_000, "the full library, not a stub");
        String head = new String(Files.newInputStream(written).readNBytes(200), StandardCharsets.UTF_8);
        assertTrue(head.contains("plotly.js v" + PlotlyAsset.VERSION), head);
    }
}
