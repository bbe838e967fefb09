package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Notebooks through the real kernel under real Jupyter, and their charts in real headless Chromium:
 * every write-up {@code ./headroom report} makes draws all its charts when copied alone into an empty
 * folder (no script error, no network request); a live notebook served by a classic Notebook server
 * and run in the browser draws its charts, again after the page is reloaded, and grows by one
 * compressed plotly.js when saved; an untrusted notebook shows a hint instead of its charts.
 */
class Notebooks_executeIT {
    private static final Duration CELL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration REPORT_LIMIT = Duration.ofMinutes(20);
    private static final Pattern PLOT_DIV = Pattern.compile("<div id=\"(" + FigureHtml.DIV_ID_PREFIX + "[0-9a-f]{32})\"");
    private static final String STDERR_MIME = "data-mime-type=\"application/vnd.jupyter.stderr\"";
    /** Marks the output that carries plotly.js (see PlotlyEmbedding). */
    static final String LIBRARY_MARKER = "plotly.js " + PlotlyAsset.VERSION + " (gzip, base64)";
    /** A write-up with its charts must stay "a few MB": the library compressed once, not 11 MB per chart. */
    private static final long MAX_PAGE_BYTES = 5_000_000;

    @Test
    void should_execute_every_notebook_of_the_repository_into_write_ups_that_draw_their_charts_alone() throws Exception {
        Path dir = Path.of(System.getProperty("headroom.notebooks.dir", "")).toAbsolutePath().normalize();
        List<Path> notebooks = notebooksIn(dir);
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir + ": the project ships numbered notebooks there, "
                + "and this test runs every one of them");
        Path work = ItEnvironment.freshWorkDir("notebooks");
        int charts = reportAndCheck(dir, work);
        assertTrue(charts > 0, "the repository's notebooks draw charts");
    }

    @Test
    void should_execute_the_kernel_test_notebook_and_draw_both_charts() throws Exception {
        Path work = ItEnvironment.freshWorkDir("kernel-notebook");
        Path dir = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb"), dir.resolve("00-kernel-smoke.ipynb"));
        assertEquals(2, reportAndCheck(dir, work), "the smoke notebook shows two figures");
    }

    /**
     * Runs the report over {@code notebooksDir}; checks every page (cell errors only where tagged
     * raises-exception; every chart drawn from the page alone); returns the number of charts.
     */
    private static int reportAndCheck(Path notebooksDir, Path work) throws Exception {
        Path out = work.resolve("report");
        ItEnvironment.ProcessResult result = runReport(notebooksDir, out, work);
        Files.writeString(work.resolve("report.stderr"), result.stderr());
        ItEnvironment.assertNoHang(result, "the report over " + notebooksDir);
        assertEquals(0, result.exitCode(), "the report failed: " + result.describe());
        assertFalse(result.stderr().contains("Exception"), "report stderr mentions an exception:\n" + result.stderr());
        int charts = 0;
        try (Chromium chromium = Chromium.start(work)) {
            for (Path notebook : notebooksIn(notebooksDir)) {
                String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
                Path page = out.resolve(name + ".html");
                String html = Files.readString(page, StandardCharsets.UTF_8);
                checkCellOutputs(notebook, html);
                List<String> ids = plotIds(html);
                if (!ids.isEmpty()) {
                    assertTrue(Files.size(page) < MAX_PAGE_BYTES, name + ": " + Files.size(page) + " bytes");
                    assertEquals(1, count(html, LIBRARY_MARKER), name + ": plotly.js travels once in the page");
                }
                assertDrawsAlone(chromium, page, ids.size(), work);
                charts += ids.size();
            }
        }
        return charts;
    }

    /** Copies {@code page} alone into an empty folder and checks that Chromium draws its charts from it, offline. */
    static void assertDrawsAlone(Chromium chromium, Path page, int expectedCharts, Path work) throws Exception {
        Path alone = Files.createTempDirectory(work, "alone-");
        Path copy = Files.copy(page, alone.resolve(page.getFileName()));
        try (Stream<Path> files = Files.list(alone)) {
            assertEquals(1, files.count(), "nothing beside the page");
        }
        chromium.clearRecords();
        chromium.open(copy.toUri().toString());
        boolean drawn = chromium.waitFor("Array.from(document.querySelectorAll('div.headroom-plot'))"
                + ".filter(d => d.querySelector('svg.main-svg')).length >= " + expectedCharts, Duration.ofSeconds(60));
        int[] charts = chromium.charts();
        assertTrue(drawn && charts[0] == expectedCharts && charts[1] == expectedCharts,
                page.getFileName() + ": " + charts[1] + " of " + charts[0] + " charts drawn, expected " + expectedCharts
                        + "; errors: " + chromium.errors());
        assertEquals(List.of(), chromium.errors(), page.getFileName() + ": script errors");
        List<String> network = chromium.requests().stream()
                .filter(url -> !(url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")))
                .toList();
        assertEquals(List.of(), network, page.getFileName() + ": requests beyond the page itself");
    }

    static ItEnvironment.ProcessResult runReport(Path notebooksDir, Path out, Path work) {
        return runReport(notebooksDir, out, work, Map.of());
    }

    static ItEnvironment.ProcessResult runReport(Path notebooksDir, Path out, Path work, Map<String, String> kernelEnvironment) {
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        Map<String, String> env = new java.util.HashMap<>(ItEnvironment.jupyterEnvironment(work, jupyterPath));
        env.putAll(kernelEnvironment);
        return ItEnvironment.run(List.of(ItEnvironment.python(), ItEnvironment.repoRoot().resolve("kernel-setup/report.py").toString(),
                        "--notebooks", notebooksDir.toString(), "--out", out.toString(), "--kernel", "headroom",
                        "--timeout", String.valueOf(CELL_TIMEOUT.toSeconds())),
                env, REPORT_LIMIT, work);
    }

    @Test
    void should_draw_from_a_plotly_file_beside_the_page_when_asked_to_and_say_so_without_it() throws Exception {
        // GIVEN the smoke notebook reported with HEADROOM_PLOTLY_SRC: pages reference plotly.js instead of carrying it
        Path work = ItEnvironment.freshWorkDir("plotly-file");
        Path dir = Files.createDirectories(work.resolve("notebooks"));
        Files.copy(ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb"), dir.resolve("00-kernel-smoke.ipynb"));
        Path out = work.resolve("report");
        ItEnvironment.ProcessResult result = runReport(dir, out, work, Map.of(PlotlyEmbedding.SRC_ENV, PlotlyAsset.FILE_NAME));
        assertEquals(0, result.exitCode(), result.describe());
        Path page = out.resolve("00-kernel-smoke.html");
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertEquals(0, count(html, LIBRARY_MARKER));
        assertTrue(Files.size(page) < 1_000_000, "no library in the page: " + Files.size(page));
        try (Chromium chromium = Chromium.start(work)) {
            // WHEN the file is beside the page THEN both charts draw, offline
            PlotlyAsset.writeTo(out);
            chromium.open(page.toUri().toString());
            assertTrue(chromium.waitFor(drawn(2), Duration.ofSeconds(60)), "charts drawn: " + chromium.charts()[1] + "; " + chromium.errors());
            assertTrue(chromium.requests().stream().allMatch(url -> url.startsWith("file:") || url.startsWith("data:")
                    || url.startsWith("blob:") || url.startsWith("about:")), chromium.requests().toString());
            // AND alone, each chart says what is missing
            Path alone = Files.createTempDirectory(work, "alone-");
            Path copy = Files.copy(page, alone.resolve(page.getFileName()));
            chromium.open(copy.toUri().toString());
            assertTrue(chromium.waitFor("document.body.innerText.split('put " + PlotlyAsset.FILE_NAME + " beside this page').length === 3",
                    Duration.ofSeconds(60)), chromium.evaluate("document.body.innerText").getAsString());
        }
    }

    @Test
    void should_draw_charts_in_a_live_classic_notebook_run_in_the_browser_and_after_a_reload() throws Exception {
        // GIVEN the smoke notebook, not executed, served by a classic Notebook server
        Path work = ItEnvironment.freshWorkDir("live-notebook");
        Path served = Files.createDirectories(work.resolve("served"));
        Path notebook = Files.copy(ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb"), served.resolve("live.ipynb"));
        long before = Files.size(notebook);
        try (NotebookServer server = NotebookServer.start(work, served); Chromium chromium = Chromium.start(work)) {
            // WHEN it is opened in headless Chromium, run with Run All, and saved
            chromium.open(server.url("notebooks/live.ipynb"));
            assertTrue(chromium.waitFor(NotebookServer.KERNEL_READY, Duration.ofMinutes(2)), "the notebook's kernel did not connect");
            chromium.evaluate("Jupyter.notebook.execute_all_cells()");
            assertTrue(chromium.waitFor("document.body.innerText.includes('still running: 3 GPUs')", CELL_TIMEOUT),
                    "the last cell did not run: " + chromium.errors());
            // THEN both charts are drawn
            assertTrue(chromium.waitFor(drawn(2), Duration.ofMinutes(1)), "charts drawn live: " + chromium.charts()[1]
                    + "; errors: " + chromium.errors());
            chromium.evaluate("Jupyter.notebook.save_notebook().then(() => true)");
            assertTrue(chromium.waitFor("!Jupyter.notebook.dirty", Duration.ofSeconds(30)));
            // AND the saved notebook grew by one compressed copy of plotly.js, not 14 MB
            String saved = Files.readString(notebook, StandardCharsets.UTF_8);
            long growth = Files.size(notebook) - before;
            System.out.printf("live notebook saved after running: %,d -> %,d bytes (+%,d)%n", before, Files.size(notebook), growth);
            assertEquals(1, count(saved, LIBRARY_MARKER), "plotly.js once in the saved notebook");
            assertTrue(growth < 4_000_000, "the saved notebook grew by " + growth + " bytes");
            // AND after a reload of the page the charts are drawn again, from the saved outputs
            chromium.clearRecords();
            chromium.reload();
            assertTrue(chromium.waitFor(NotebookServer.NOTEBOOK_LOADED, Duration.ofMinutes(1)));
            assertTrue(chromium.waitFor(drawn(2), Duration.ofMinutes(1)), "charts drawn after reload: " + chromium.charts()[1]
                    + "; errors: " + chromium.errors());
            // AND nothing was fetched from anywhere but the notebook server
            List<String> network = chromium.requests().stream()
                    .filter(url -> !(url.startsWith(server.origin()) || url.startsWith("ws://127.0.0.1:" + server.port())
                            || url.startsWith("data:") || url.startsWith("blob:") || url.startsWith("about:")))
                    .toList();
            assertEquals(List.of(), network, "requests beyond the notebook server");
        }
    }

    @Test
    void should_show_a_trust_hint_instead_of_charts_in_an_untrusted_notebook() throws Exception {
        // GIVEN the smoke notebook executed by nbconvert and not signed (as one received from someone else)
        Path work = ItEnvironment.freshWorkDir("untrusted-notebook");
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        Path served = Files.createDirectories(work.resolve("served"));
        ItEnvironment.ProcessResult executed = ItEnvironment.run(List.of(ItEnvironment.jupyter().toString(), "nbconvert",
                "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=headroom",
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT.toSeconds(), "--output-dir", served.toString(), "--output", "received.ipynb",
                ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb").toString()),
                ItEnvironment.jupyterEnvironment(work, jupyterPath), REPORT_LIMIT, work);
        assertEquals(0, executed.exitCode(), executed.describe());
        try (NotebookServer server = NotebookServer.start(work, served); Chromium chromium = Chromium.start(work)) {
            // WHEN it is opened
            chromium.open(server.url("notebooks/received.ipynb"));
            assertTrue(chromium.waitFor(NotebookServer.NOTEBOOK_LOADED, Duration.ofMinutes(1)));
            // THEN no chart runs, and each says how to get it drawn
            assertEquals(false, chromium.evaluate("Jupyter.notebook.trusted").getAsBoolean());
            String text = chromium.evaluate("document.body.innerText").getAsString();
            assertEquals(2, count(text, FigureHtml.UNTRUSTED_HINT), text);
            assertEquals(0, chromium.charts()[1]);
        }
    }

    private static String drawn(int charts) {
        return "Array.from(document.querySelectorAll('div.headroom-plot')).filter(d => d.querySelector('svg.main-svg')).length >= " + charts;
    }

    static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            n++;
        }
        return n;
    }

    static List<Path> notebooksIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    /** Errors only in cells tagged raises-exception (which must show one); no stderr mentioning an exception elsewhere. */
    private static void checkCellOutputs(Path notebook, String page) throws IOException {
        JsonObject json = new JsonParser().parse(Files.readString(notebook, StandardCharsets.UTF_8)).getAsJsonObject();
        List<Boolean> raises = new ArrayList<>();
        for (JsonElement cell : json.getAsJsonArray("cells")) {
            JsonObject c = cell.getAsJsonObject();
            if (!c.get("cell_type").getAsString().equals("code")) {
                continue;
            }
            JsonObject metadata = c.has("metadata") ? c.getAsJsonObject("metadata") : new JsonObject();
            boolean tagged = metadata.has("tags") && metadata.getAsJsonArray("tags").toString().contains("\"raises-exception\"");
            raises.add(tagged);
        }
        String[] cells = page.split("<div[^>]*class=\"jp-Cell jp-CodeCell", -1);
        assertEquals(raises.size(), cells.length - 1, notebook + ": could not find every code cell in the HTML "
                + "(nbconvert's lab template changed?)");
        for (int i = 0; i < raises.size(); i++) {
            String cell = cells[i + 1];
            int next = cell.indexOf("class=\"jp-Cell ");
            String body = next < 0 ? cell : cell.substring(0, next);
            String classes = body.substring(0, Math.max(0, body.indexOf('"')));
            boolean tagged = classes.contains("celltag_raises-exception");
            assertEquals(raises.get(i), tagged, notebook + ": code cell " + (i + 1) + " tags in the HTML");
            if (raises.get(i)) {
                assertTrue(body.contains(STDERR_MIME), notebook + ": code cell " + (i + 1) + " is tagged raises-exception but shows no error");
            } else {
                Matcher stderr = Pattern.compile(Pattern.quote(STDERR_MIME) + ".*?</pre>", Pattern.DOTALL).matcher(body);
                while (stderr.find()) {
                    assertFalse(stderr.group().contains("Exception"), notebook + ": code cell " + (i + 1)
                            + " printed an exception on stderr: " + stderr.group());
                }
            }
        }
    }

    private static List<String> plotIds(String html) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = PLOT_DIV.matcher(html);
        while (matcher.find()) {
            if (!ids.contains(matcher.group(1))) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    /** A classic Jupyter Notebook server on a free port, with the headroom kernelspec, serving one folder. */
    static final class NotebookServer implements AutoCloseable {
        static final String NOTEBOOK_LOADED = "window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded";
        static final String KERNEL_READY = NOTEBOOK_LOADED + " && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()"
                + " && Jupyter.notebook.kernel.info_reply && Jupyter.notebook.kernel.info_reply.protocol_version";
        private final Process process;
        private final int port;
        private final String token;

        private NotebookServer(Process process, int port, String token) {
            this.process = process;
            this.port = port;
            this.token = token;
        }

        static NotebookServer start(Path work, Path served) throws Exception {
            Path jupyterPath = work.resolve("jupyter-path");
            ItEnvironment.installKernelspec(jupyterPath);
            Map<String, String> env = ItEnvironment.jupyterEnvironment(work, jupyterPath);
            ItEnvironment.ProcessResult version = ItEnvironment.run(List.of(ItEnvironment.jupyter().toString(), "notebook", "--version"),
                    env, Duration.ofMinutes(1), work);
            if (version.exitCode() != 0) {
                fail("the classic Notebook server (jupyter notebook) is not installed: " + ItEnvironment.INSTALL_JUPYTER);
            }
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            String token = "headroom-it-" + port;
            Process server = ItEnvironment.start(List.of(ItEnvironment.jupyter().toString(), "notebook", "--no-browser",
                    "--ip=127.0.0.1", "--port=" + port, "--NotebookApp.token=" + token, "--NotebookApp.open_browser=False",
                    "--notebook-dir=" + served, "--allow-root"), env, work);
            NotebookServer started = new NotebookServer(server, port, token);
            try {
                waitForServer(port, token, server);
            } catch (Throwable e) {
                started.close();
                throw e;
            }
            return started;
        }

        String url(String path) {
            return origin() + "/" + path + "?token=" + token;
        }

        String origin() {
            return "http://127.0.0.1:" + port;
        }

        int port() {
            return port;
        }

        @Override
        public void close() {
            ItEnvironment.destroyTree(process);
        }
    }

    private static void waitForServer(int port, String token, Process server) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                fail("jupyter notebook exited: " + ItEnvironment.read(server, "err"));
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/status?token=" + token)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        fail("jupyter notebook did not answer on port " + port + " within 60 s: " + ItEnvironment.read(server, "err"));
    }

}
