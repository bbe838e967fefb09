package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The magics users of IJava/JJava expect: %time, %help, %classpath, %maven, %trace. */
class Kernel_magicsTest {
    private static HeadroomKernel kernel;
    private static Path localRepository;
    private static int cells;

    @BeforeAll
    static void startKernel(@TempDir Path work) throws Exception {
        TestRepository.start(work.resolve("repository-build"));
        localRepository = work.resolve("m2");
        List<StartupScript> startup = List.of(new StartupScript("test.jsh", "import java.util.*;\nimport static java.lang.Math.*;\n"));
        kernel = new HeadroomKernel(HeadroomKernel.startEvaluator(ClassPaths.ofThisJvm(), startup, System.err),
                PlotlyEmbedding.inline(() -> "UExPVExZ"), new RecordingSink(),
                new MavenResolver(TestRepository.uri(), localRepository, Duration.ofSeconds(5)));
    }

    @AfterAll
    static void stopKernel() {
        kernel.close();
        TestRepository.stop();
    }

    private static DisplayData run(String code, RecordingSink sink) throws Exception {
        cells++;
        return kernel.execute(code, "In [" + cells + "]", sink, "code:" + code);
    }

    private static String text(DisplayData data) {
        return (String) data.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void should_time_a_line_and_keep_its_value() throws Exception {
        RecordingSink sink = new RecordingSink();
        DisplayData value = run("int n = 6;\n%time n * 7", sink);
        assertEquals("42", text(value));
        assertTrue(sink.text("stdout").matches("Wall time: [\\d.]+ (µs|ms|s)\\n"), sink.text("stdout"));
    }

    @Test
    void should_time_the_whole_cell_with_a_cell_magic_and_keep_line_numbers() throws Exception {
        RecordingSink sink = new RecordingSink();
        assertEquals("3", text(run("%%time\nint a = 1;\nint b = 2;\na + b", sink)));
        assertTrue(sink.text("stdout").startsWith("Wall time: "), sink.text("stdout"));
        // a compile error below a magic names the cell's own line and column
        Exception e = assertThrows(Exception.class, () -> run("%%time\nint ok = 1;\nint broken = nope;", new RecordingSink()));
        assertTrue(e.getMessage().startsWith("line 3, column 14: cannot find symbol"), e.getMessage());
    }

    @Test
    void should_list_entry_points_and_magics() throws Exception {
        RecordingSink sink = new RecordingSink();
        run("%help", sink);
        String help = sink.text("stdout");
        assertTrue(help.contains("Math: "), help);
        assertTrue(help.contains("sqrt(double)"), help);
        assertTrue(help.contains("display(Object)"), help);
        for (String magic : List.of("%time", "%help", "%classpath", "%maven", "%trace")) {
            assertTrue(help.contains(magic), magic + " in " + help);
        }
    }

    @Test
    void should_add_a_folder_of_classes_to_the_class_path(@TempDir Path dir) throws Exception {
        Path classes = TestJars.compile(dir.resolve("classes"), Map.of("extra.Answer",
                "package extra; public final class Answer { public static int value() { return 42; } }"), List.of());
        RecordingSink sink = new RecordingSink();
        DisplayData value = run("%classpath " + classes + "\nextra.Answer.value()", sink);
        assertEquals("42", text(value));
        assertTrue(sink.text("stdout").startsWith("Added to the class path: " + classes), sink.text("stdout"));
        // AND every jar of a folder with FOLDER/*
        Path jars = java.nio.file.Files.createDirectories(dir.resolve("jars"));
        TestJars.jar(TestJars.compile(dir.resolve("more"), Map.of("more.Question",
                "package more; public final class Question { public static String text() { return \"six by nine\"; } }"), List.of()),
                jars.resolve("question.jar"));
        assertEquals("six by nine", text(run("%classpath " + jars + "/*\nmore.Question.text()", new RecordingSink())).replace("\"", ""));
        Exception missing = assertThrows(Exception.class, () -> run("%classpath /no/such/folder", new RecordingSink()));
        assertEquals("%classpath: no such file or folder: /no/such/folder", missing.getMessage());
    }

    @Test
    void should_resolve_an_artifact_and_its_dependencies_and_use_them_in_the_same_cell() throws Exception {
        RecordingSink sink = new RecordingSink();
        DisplayData value = run("%maven demo:app:1.0\ndemo.app.App.greet()", sink);
        assertEquals("hello, notebook", text(value).replace("\"", ""));
        assertTrue(sink.text("stdout").contains("app-1.0.jar") && sink.text("stdout").contains("lib-2.1.jar"), sink.text("stdout"));
        Exception e = assertThrows(Exception.class, () -> run("%maven demo:missing:1", new RecordingSink()));
        assertEquals("MavenError", ((KernelErrors.CellError) e).failure().ename());
        assertEquals("demo:missing:1 is not in " + TestRepository.uri(), e.getMessage());
    }

    @Test
    void should_show_the_full_trace_of_the_last_failure() throws Exception {
        assertThrows(Exception.class, () -> run("int depth(int n) { return n == 0 ? Integer.parseInt(\"x\") : depth(n - 1); }\ndepth(3)",
                new RecordingSink()));
        RecordingSink sink = new RecordingSink();
        run("%trace", sink);
        String trace = sink.text("stdout");
        assertTrue(trace.startsWith("java.lang.NumberFormatException: For input string: \"x\""), trace);
        assertTrue(trace.contains("at java.base/java.lang.Integer.parseInt("), trace);
        String failed = "In [" + (cells - 1) + "]";
        assertEquals(4, trace.lines().filter(l -> l.equals("    at depth (" + failed + " line 1)")).count(), trace);
        assertTrue(trace.contains("    at " + failed + " line 2\n"), trace);
    }

    @Test
    void should_name_an_unknown_magic_and_the_known_ones() {
        Exception e = assertThrows(Exception.class, () -> run("%tiem 1 + 1", new RecordingSink()));
        assertEquals("unknown magic %tiem on line 1 — known: %time, %help, %classpath, %maven, %trace", e.getMessage());
    }
}
