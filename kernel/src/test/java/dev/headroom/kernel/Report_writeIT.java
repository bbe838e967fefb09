package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kernel-setup/report.py (what {@code ./headroom report} runs) over notebooks of which some fail: it
 * keeps going, names the notebook, the cell and the error, writes every write-up and an index, and
 * exits non-zero.
 */
class Report_writeIT {
    private static JsonObject notebook(String... cells) {
        JsonObject nb = new JsonObject();
        JsonArray list = new JsonArray();
        int id = 0;
        for (String source : cells) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.addProperty("execution_count", (String) null);
            cell.add("metadata", new JsonObject());
            cell.add("outputs", new JsonArray());
            cell.addProperty("source", source);
            cell.addProperty("id", "cell-" + id++);
            list.add(cell);
        }
        nb.add("cells", list);
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("display_name", "Java (Headroom)");
        kernelspec.addProperty("language", "java");
        kernelspec.addProperty("name", "headroom");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        return nb;
    }

    @Test
    void should_go_past_failing_notebooks_and_dead_kernels_name_the_cell_write_every_page_and_an_index_and_exit_non_zero() throws Exception {
        // GIVEN four notebooks: one fine with a chart, one whose second cell throws, one that calls System.exit
        // (refused), one that ends the JVM through reflection (which the kernel cannot refuse: it dies)
        Path work = ItEnvironment.freshWorkDir("report");
        Path notebooks = Files.createDirectories(work.resolve("notebooks"));
        Files.writeString(notebooks.resolve("01-fine.ipynb"), notebook(
                "import tech.tablesaw.plotly.api.*;\nTable t = Table.create(\"t\").addColumns(IntColumn.create(\"x\", 1, 2, 3), IntColumn.create(\"y\", 2, 4, 8));\nt",
                "LinePlot.create(\"fine\", t, \"x\", \"y\")").toString(), StandardCharsets.UTF_8);
        Files.writeString(notebooks.resolve("02-broken.ipynb"), notebook(
                "int ok = 1;",
                "int before = 2;\nthrow new IllegalStateException(\"broken on purpose\");",
                "System.out.println(\"never runs\");").toString(), StandardCharsets.UTF_8);
        Files.writeString(notebooks.resolve("03-exits.ipynb"), notebook(
                "System.out.println(\"about to leave\");\nSystem.exit(1);",
                "System.out.println(\"never runs either\");").toString(), StandardCharsets.UTF_8);
        Files.writeString(notebooks.resolve("04-dies.ipynb"), notebook(
                "int fine = 1;",
                "System.class.getMethod(\"exit\", int.class).invoke(null, 7);",
                "System.out.println(\"no kernel left\");").toString(), StandardCharsets.UTF_8);
        // WHEN the report runs over them
        Path out = work.resolve("out");
        ItEnvironment.ProcessResult result = Notebooks_executeIT.runReport(notebooks, out, work);
        ItEnvironment.assertNoHang(result, "report.py");
        // THEN it fails overall, and says which notebook and cell failed, with the cell's first line and the error
        assertEquals(1, result.exitCode(), result.describe());
        String stderr = result.stderr();
        assertTrue(stderr.contains("report: FAILED 02-broken.ipynb: cell 2 (code cell 2) `int before = 2;`: "
                + "IllegalStateException: broken on purpose"), stderr);
        assertTrue(stderr.contains("report: FAILED 03-exits.ipynb: cell 1 (code cell 1) `System.out.println(\"about to leave\");`: "
                + "ExitRefused: System.exit(1) was refused"), stderr);
        assertTrue(stderr.contains("report: FAILED 04-dies.ipynb: cell 2 (code cell 2) `System.class.getMethod(\"exit\", int.class)"
                + ".invoke(null, 7);`: the kernel died while running this cell"), stderr);
        assertTrue(!stderr.contains("FAILED 01-fine"), stderr);
        assertTrue(stderr.contains("report: 1 of 4 notebooks passed"), stderr);
        // AND every write-up is there, the failing ones showing the cells up to the failure
        for (String name : List.of("01-fine", "02-broken", "03-exits", "04-dies")) {
            assertTrue(Files.isRegularFile(out.resolve(name + ".html")), name);
        }
        String broken = Files.readString(out.resolve("02-broken.html"));
        assertTrue(broken.contains("broken on purpose") && !broken.contains("never runs</pre>"), "the failure is in the write-up");
        // AND the index links each with pass or fail
        String index = Files.readString(out.resolve("index.html"));
        assertTrue(index.contains("<a href=\"01-fine.html\">01-fine.ipynb</a></td><td class=\"passed\">passed"), index);
        assertTrue(index.contains("<a href=\"02-broken.html\">02-broken.ipynb</a></td><td class=\"failed\">FAILED"), index);
        assertTrue(index.contains("<a href=\"03-exits.html\">03-exits.ipynb</a></td><td class=\"failed\">FAILED"), index);
        assertTrue(index.contains("<a href=\"04-dies.html\">04-dies.ipynb</a></td><td class=\"failed\">FAILED"), index);
        assertTrue(index.contains("3 of 4 notebooks failed"), index);
        // AND the good page draws its chart alone
        try (Chromium chromium = Chromium.start(work)) {
            Notebooks_executeIT.assertDrawsAlone(chromium, out.resolve("01-fine.html"), 1, work);
        }
    }
}
