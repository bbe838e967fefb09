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
 * Executes notebooks through the real kernel with nbconvert, the way a report is built, and checks
 * in headless Chromium (no network) that every chart was drawn by the offline plotly.js.
 */
class Notebooks_executeIT {
    private static final Duration CELL_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration NOTEBOOK_LIMIT = Duration.ofMinutes(15);
    private static final Pattern PLOT_DIV = Pattern.compile("<div id=\"(" + FigureHtml.DIV_ID_PREFIX + "[0-9a-f]{32})\"");
    private static final String STDERR_MIME = "data-mime-type=\"application/vnd.jupyter.stderr\"";

    @Test
    void should_execute_every_notebook_of_the_repository_without_errors_and_draw_its_charts() throws IOException {
        Path dir = Path.of(System.getProperty("headroom.notebooks.dir", "")).toAbsolutePath().normalize();
        List<Path> notebooks = notebooksIn(dir);
        assertFalse(notebooks.isEmpty(), "no notebooks in " + dir + ": the project ships numbered notebooks there, "
                + "and this test runs every one of them");
        Path work = ItEnvironment.freshWorkDir("notebooks");
        for (Path notebook : notebooks) {
            executeAndCheck(notebook, work);
        }
    }

    @Test
    void should_execute_the_kernel_test_notebook_and_draw_both_charts() throws IOException {
        Path notebook = ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb");
        int charts = executeAndCheck(notebook, ItEnvironment.freshWorkDir("kernel-notebook"));
        assertEquals(2, charts, "the smoke notebook shows two figures");
    }

    @Test
    void should_draw_charts_in_a_live_classic_notebook_server() throws Exception {
        // GIVEN the smoke notebook executed with the library inlined (live mode) and trusted, as after a live run
        Path work = ItEnvironment.freshWorkDir("live-notebook");
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        Map<String, String> env = ItEnvironment.jupyterEnvironment(work, jupyterPath);
        Path served = Files.createDirectories(work.resolve("served"));
        ItEnvironment.ProcessResult executed = ItEnvironment.run(List.of(ItEnvironment.jupyter().toString(), "nbconvert",
                "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=headroom",
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT.toSeconds(), "--output-dir", served.toString(), "--output", "live.ipynb",
                ItEnvironment.testResource("/notebooks/00-kernel-smoke.ipynb").toString()), env, NOTEBOOK_LIMIT, work);
        assertEquals(0, executed.exitCode(), executed.describe());
        ItEnvironment.ProcessResult signed = ItEnvironment.run(List.of(ItEnvironment.python(), "-c",
                "import sys, nbformat\nfrom nbformat.sign import NotebookNotary\n"
                        + "nb = nbformat.read(sys.argv[1], 4)\nNotebookNotary().sign(nb)\n",
                served.resolve("live.ipynb").toString()), env, Duration.ofMinutes(1), work);
        assertEquals(0, signed.exitCode(), signed.describe());
        ItEnvironment.ProcessResult version = ItEnvironment.run(List.of(ItEnvironment.jupyter().toString(), "notebook", "--version"),
                env, Duration.ofMinutes(1), work);
        if (version.exitCode() != 0) {
            fail("the classic Notebook server (jupyter notebook) is not installed: " + ItEnvironment.INSTALL_JUPYTER);
        }
        // WHEN a notebook server shows it in headless Chromium
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String token = "headroom-it-" + port;
        Process server = ItEnvironment.start(List.of(ItEnvironment.jupyter().toString(), "notebook", "--no-browser",
                "--ip=127.0.0.1", "--port=" + port, "--NotebookApp.token=" + token, "--NotebookApp.open_browser=False",
                "--notebook-dir=" + served, "--allow-root"), env, work);
        String dom;
        try {
            waitForServer(port, token, server);
            dom = dumpDom("http://127.0.0.1:" + port + "/notebooks/live.ipynb?token=" + token, work, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
        } finally {
            ItEnvironment.destroyTree(server);
        }
        // THEN plotly drew both charts
        List<String> ids = plotIds(Files.readString(served.resolve("live.ipynb")).replace("\\\"", "\""));
        assertEquals(2, ids.size(), "charts in the executed notebook");
        assertChartsDrawn(ids, dom, "live classic notebook");
    }

    private static List<Path> notebooksIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        }
    }

    /** Executes one notebook to HTML with figures referencing a plotly.js file beside it; returns the number of charts. */
    private static int executeAndCheck(Path notebook, Path workRoot) throws IOException {
        String name = notebook.getFileName().toString().replaceFirst("\\.ipynb$", "");
        Path work = Files.createDirectories(workRoot.resolve(name));
        Path jupyterPath = work.resolve("jupyter-path");
        ItEnvironment.installKernelspec(jupyterPath);
        Path out = Files.createDirectories(work.resolve("html"));
        Map<String, String> env = new java.util.HashMap<>(ItEnvironment.jupyterEnvironment(work, jupyterPath));
        env.put(PlotlyEmbedding.SRC_ENV, PlotlyAsset.FILE_NAME);

        // WHEN nbconvert executes it through the headroom kernel
        ItEnvironment.ProcessResult result = ItEnvironment.run(List.of(ItEnvironment.jupyter().toString(), "nbconvert",
                "--to", "html", "--execute", "--ExecutePreprocessor.kernel_name=headroom",
                "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT.toSeconds(), "--output-dir", out.toString(), notebook.toString()),
                env, NOTEBOOK_LIMIT, work);
        Files.writeString(work.resolve("nbconvert.stderr"), result.stderr());

        // THEN no cell failed unexpectedly and nothing reported an exception
        ItEnvironment.assertNoHang(result, "nbconvert on " + notebook);
        assertEquals(0, result.exitCode(), notebook + " failed to execute: " + result.describe());
        assertFalse(result.stderr().contains("Exception"), notebook + ": stderr mentions an exception:\n" + result.stderr());
        Path html = out.resolve(name + ".html");
        String page = Files.readString(html, StandardCharsets.UTF_8);
        checkCellOutputs(notebook, page);

        // AND every chart draws offline from the plotly.js file written beside the page
        List<String> ids = plotIds(page);
        if (!ids.isEmpty()) {
            assertTrue(page.contains(PlotlyAsset.FILE_NAME), "figures reference " + PlotlyAsset.FILE_NAME);
            assertTrue(page.length() < 5_000_000, "the library is not inlined in export mode: " + page.length() + " chars");
            ItEnvironment.ProcessResult asset = ItEnvironment.run(List.of(javaBinary(), "-cp", ItEnvironment.kernelJar().toString(),
                    "dev.headroom.kernel.PlotlyAsset", out.toString()), Map.of(), Duration.ofMinutes(1), work);
            assertEquals(0, asset.exitCode(), asset.describe());
            assertTrue(Files.size(out.resolve(PlotlyAsset.FILE_NAME)) > 5_000_000);
            String dom = dumpDom(html.toUri().toString(), work, "--host-resolver-rules=MAP * ~NOTFOUND");
            Files.writeString(work.resolve("dom.html"), dom);
            assertChartsDrawn(ids, dom, notebook.toString());
        }
        return ids.size();
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

    /** Each chart's div, up to the next chart, holds the svg plotly draws ({@code class="main-svg"}). */
    private static void assertChartsDrawn(List<String> ids, String dom, String where) {
        for (String id : ids) {
            int start = dom.indexOf("id=\"" + id + "\"");
            assertTrue(start >= 0, where + ": chart div " + id + " missing from the rendered page");
            int end = dom.indexOf("id=\"" + FigureHtml.DIV_ID_PREFIX, start + id.length());
            String div = dom.substring(start, end < 0 ? dom.length() : end);
            assertTrue(div.contains("class=\"main-svg\""), where + ": plotly did not draw chart " + id + ": "
                    + div.substring(0, Math.min(div.length(), 600)));
        }
    }

    private static String dumpDom(String url, Path work, String hostRules) throws IOException {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        ItEnvironment.ProcessResult result = ItEnvironment.run(List.of(ItEnvironment.chromium().toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--user-data-dir=" + profile, hostRules,
                "--virtual-time-budget=20000", "--dump-dom", url), Map.of(), Duration.ofMinutes(2), work);
        ItEnvironment.assertNoHang(result, "chromium on " + url);
        assertEquals(0, result.exitCode(), "chromium failed on " + url + ": " + result.describe());
        return result.stdout();
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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
