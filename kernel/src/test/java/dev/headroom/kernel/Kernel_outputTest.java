package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Where a cell's output goes: display and updateDisplay, charts' mime bundles, threads that outlive their cell. */
class Kernel_outputTest {
    private static HeadroomKernel kernel;
    private static int cells;

    @BeforeAll
    static void startKernel() {
        List<StartupScript> startup = List.of(new StartupScript("test.jsh",
                "import tech.tablesaw.api.*;\nimport tech.tablesaw.plotly.api.*;\nimport tech.tablesaw.plotly.components.Figure;\n"));
        kernel = new HeadroomKernel(HeadroomKernel.startEvaluator(ClassPaths.ofThisJvm(), startup, System.err),
                PlotlyEmbedding.inline(() -> "UExPVExZ"), new RecordingSink(), MavenResolver.fromEnvironment(java.util.Map.of()));
    }

    @AfterAll
    static void stopKernel() {
        kernel.close();
    }

    private static DisplayData run(String code, RecordingSink sink) throws Exception {
        cells++;
        return kernel.execute(code, "In [" + cells + "]", sink, "code:" + code);
    }

    @Test
    void should_show_a_value_mid_cell_and_replace_it_in_place_by_its_id() throws Exception {
        // GIVEN a cell that prints, displays a value, prints, then updates that display twice
        RecordingSink sink = new RecordingSink();
        run("System.out.println(\"before\");\n"
                + "String id = display(\"step 1 of 3\");\n"
                + "System.out.println(\"after\");\n"
                + "updateDisplay(id, \"step 2 of 3\");\n"
                + "updateDisplay(id, \"done\");", sink);
        List<RecordingSink.Event> events = sink.events();
        // THEN the display came in order with the prints (other tests' threads may add attributed lines) ...
        int before = indexOf(events, "stdout", "before\n");
        int shown = indexOf(events, "display", "step 1 of 3");
        int after = indexOf(events, "stdout", "after\n");
        int firstUpdate = indexOf(events, "update", "step 2 of 3");
        int lastUpdate = indexOf(events, "update", "done");
        assertTrue(0 <= before && before < shown && shown < after && after < firstUpdate && firstUpdate < lastUpdate, events.toString());
        String id = events.get(shown).displayId();
        assertNotNull(id);
        assertEquals(id, events.get(firstUpdate).displayId());
        assertEquals(id, events.get(lastUpdate).displayId());
        assertEquals(2, events.stream().filter(e -> e.kind().equals("update")).count());
    }

    private static int indexOf(List<RecordingSink.Event> events, String kind, String text) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind().equals(kind) && events.get(i).text().contains(text)) {
                return i;
            }
        }
        return -1;
    }


    @Test
    void should_give_a_chart_plotly_json_html_and_text_whether_displayed_or_returned() throws Exception {
        RecordingSink sink = new RecordingSink();
        DisplayData returned = run("Table t = Table.create(\"t\").addColumns(IntColumn.create(\"x\", 1, 2), IntColumn.create(\"y\", 3, 4));\n"
                + "display(LinePlot.create(\"shown\", t, \"x\", \"y\"));\n"
                + "LinePlot.create(\"returned\", t, \"x\", \"y\")", sink);
        DisplayData displayed = sink.events().get(0).data();
        for (DisplayData data : List.of(displayed, returned)) {
            assertTrue(data.hasDataForType(MIMEType.parse(ResultDisplay.PLOTLY_MIME)));
            assertTrue(((String) data.getData(MIMEType.TEXT_HTML)).contains("<div id=\"headroom_plot_"));
            assertTrue(((String) data.getData(MIMEType.TEXT_PLAIN)).startsWith("Figure '"));
        }
    }

    @Test
    void should_attribute_what_a_thread_of_an_earlier_cell_prints_and_never_mix_it_in_silently() throws Exception {
        // GIVEN a cell that starts a thread printing a line every 100 ms for 1.5 s, and ends
        RecordingSink starter = new RecordingSink();
        run("Thread ticker = new Thread(() -> {\n"
                + "    for (int i = 0; i < 15; i++) {\n"
                + "        System.out.println(\"tick \" + i);\n"
                + "        try { Thread.sleep(100); } catch (InterruptedException e) { return; }\n"
                + "    }\n"
                + "}, \"ticker\");\n"
                + "ticker.start();\n"
                + "Thread.sleep(250);", starter);
        String starterLabel = "In [" + cells + "]";
        // THEN the cell shows its thread's first lines as its own and says it left the thread running
        assertTrue(starter.text("stdout").startsWith("tick 0\n"), starter.events().toString());
        assertTrue(starter.text("stderr").contains("this cell left 1 thread running: ticker"), starter.events().toString());
        // WHEN no cell runs for a while, then another cell runs and prints
        Thread.sleep(400);
        RecordingSink next = new RecordingSink();
        run("System.out.println(\"mine\");\nThread.sleep(400);\nSystem.out.println(\"mine again\");", next);
        // THEN every line of the ticker in that cell is prefixed with its origin; the cell's own lines are not
        String text = next.text("stdout");
        List<String> lines = text.lines().toList();
        assertTrue(lines.contains("mine") && lines.contains("mine again"), text);
        List<String> foreign = lines.stream().filter(l -> !l.startsWith("mine")).toList();
        assertFalse(foreign.isEmpty(), "the ticker's lines show up: " + text);
        for (String line : foreign) {
            assertTrue(line.matches("\\[" + java.util.regex.Pattern.quote(starterLabel) + " · ticker] tick \\d+"), "attributed: " + line);
        }
        // AND lines printed while no cell ran came first
        assertTrue(lines.get(0).startsWith("[" + starterLabel + " · ticker] "), text);
        Thread.sleep(Duration.ofMillis(1_200).toMillis());
    }

    @Test
    void should_keep_tracebacks_plain_text_for_dark_themes() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> run("throw new IllegalStateException(\"plain\");", new RecordingSink()));
        for (String line : kernel.formatError(e)) {
            assertFalse(line.contains("\u001b["), "no ANSI colour codes: " + line);
            assertFalse(line.contains("<"), "no HTML: " + line);
        }
    }
}
