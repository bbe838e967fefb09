package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kernel's execute path without a Jupyter connection: eval, streams, rendering, errors. */
class Kernel_executeTest {
    private static final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private static final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private static HeadroomKernel kernel;

    @BeforeAll
    static void startKernel() {
        List<StartupScript> startup = List.of(new StartupScript("test.jsh",
                "import tech.tablesaw.api.*;\nimport tech.tablesaw.plotly.api.*;\nimport tech.tablesaw.plotly.components.Figure;\n"));
        kernel = new HeadroomKernel(HeadroomKernel.startEvaluator(ClassPaths.ofThisJvm(), startup, System.err),
                PlotlyEmbedding.inline(() -> "/* lib */"),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stopKernel() {
        kernel.close();
    }

    @Test
    void should_return_the_last_expression_as_the_execute_result() throws Exception {
        DisplayData result = kernel.eval("int a = 1;\na + 1");
        assertEquals("2", result.getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void should_stream_stdout_and_stderr_and_return_nothing_for_a_statement() throws Exception {
        out.reset();
        err.reset();
        assertNull(kernel.eval("System.out.println(\"to out\");\nSystem.err.println(\"to err\");"));
        assertEquals("to out\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("to err\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void should_render_a_table_cell_as_html_and_text() throws Exception {
        DisplayData result = kernel.eval("Table.create(\"t\").addColumns(IntColumn.create(\"n\", 1, 2))");
        assertTrue(((String) result.getData(MIMEType.TEXT_HTML)).contains("<table"));
        assertTrue(((String) result.getData(MIMEType.TEXT_PLAIN)).contains("n"));
    }

    @Test
    void should_render_a_jsplot_figure_cell() throws Exception {
        DisplayData result = kernel.eval("Table t = Table.create(\"t\").addColumns(IntColumn.create(\"x\", 1, 2), IntColumn.create(\"y\", 3, 4));\n"
                + "Figure f = LinePlot.create(\"line\", t, \"x\", \"y\");\nf");
        assertTrue(((String) result.getData(MIMEType.TEXT_HTML)).contains("headroom_plot_"));
        assertTrue(result.hasDataForType(MIMEType.parse(ResultDisplay.PLOTLY_MIME)));
    }

    @Test
    void should_throw_the_cells_exception_with_a_readable_traceback_and_keep_working() throws Exception {
        Exception e = assertThrows(Exception.class, () -> kernel.eval("throw new IllegalArgumentException(\"batch must be positive, got -1\")"));
        assertEquals("IllegalArgumentException", e.getClass().getSimpleName());
        assertEquals("batch must be positive, got -1", e.getMessage());
        assertEquals(List.of("java.lang.IllegalArgumentException: batch must be positive, got -1", "    at line 1"), kernel.formatError(e));
        assertEquals("3", kernel.eval("1 + 2").getData(MIMEType.TEXT_PLAIN));
    }

    @Test
    void should_throw_a_compilation_error_named_for_the_user() {
        Exception e = assertThrows(Exception.class, () -> kernel.eval("int z = nope;"));
        assertEquals("CompilationError", e.getClass().getSimpleName());
        assertTrue(e.getMessage().startsWith("line 1, column 9: cannot find symbol"), e.getMessage());
        assertTrue(kernel.formatError(e).get(0).startsWith("CompilationError: line 1, column 9: cannot find symbol"),
                kernel.formatError(e).toString());
    }

    @Test
    void should_complete_with_the_startup_imports() throws Exception {
        assertTrue(kernel.complete("Tab", 3).getReplacements().contains("Table"));
    }
}
