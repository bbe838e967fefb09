package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Headless Chromium driven over the DevTools protocol: open a page, run JavaScript in it, and record
 * every network request, script exception and console error it caused. Started with a fresh profile
 * and {@code --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
 * --disable-background-networking --disable-component-update --disable-sync}.
 */
final class Chromium implements AutoCloseable {
    private final Process process;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<Void>> loads = new CopyOnWriteArrayList<>();

    private Chromium(Process process, WebSocket page) {
        this.process = process;
        this.page = page;
    }

    static Chromium start(Path work) throws Exception {
        Path profile = Files.createTempDirectory(work, "chromium-profile-");
        Process process = ItEnvironment.start(List.of(ItEnvironment.chromium().toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=1280,2000", "about:blank"), Map.of(), work);
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                ItEnvironment.destroyTree(process);
                fail("Chromium did not start: " + ItEnvironment.read(process, "err"));
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
        HttpClient http = HttpClient.newHttpClient();
        String pageSocket = null;
        while (pageSocket == null) {
            JsonArray targets = new JsonParser().parse(http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body()).getAsJsonArray();
            for (JsonElement target : targets) {
                if (target.getAsJsonObject().get("type").getAsString().equals("page")) {
                    pageSocket = target.getAsJsonObject().get("webSocketDebuggerUrl").getAsString();
                }
            }
            if (pageSocket == null) {
                Thread.sleep(100);
            }
        }
        Chromium[] self = new Chromium[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    while (self[0] == null) {
                        Thread.onSpinWait();
                    }
                    self[0].received(new JsonParser().parse(text).getAsJsonObject());
                }
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        Chromium chromium = new Chromium(process, socket);
        self[0] = chromium;
        for (String domain : List.of("Page", "Network", "Runtime", "Log")) {
            chromium.call(domain + ".enable", new JsonObject());
        }
        return chromium;
    }

    private void received(JsonObject message) {
        if (message.has("id")) {
            CompletableFuture<JsonObject> answer = pending.remove(message.get("id").getAsInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        String method = message.get("method").getAsString();
        JsonObject params = message.getAsJsonObject("params");
        switch (method) {
            case "Network.requestWillBeSent" -> requests.add(params.getAsJsonObject("request").get("url").getAsString());
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.getAsJsonObject("exceptionDetails"));
            case "Runtime.consoleAPICalled" -> {
                if (params.get("type").getAsString().equals("error")) {
                    errors.add("console.error: " + params.get("args"));
                }
            }
            case "Log.entryAdded" -> {
                JsonObject entry = params.getAsJsonObject("entry");
                if (entry.get("level").getAsString().equals("error")) {
                    errors.add("log: " + entry.get("text").getAsString() + (entry.has("url") ? " (" + entry.get("url").getAsString() + ")" : ""));
                }
            }
            case "Page.loadEventFired" -> loads.forEach(load -> load.complete(null));
            default -> { }
        }
    }

    JsonObject call(String method, JsonObject params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonObject> answer = new CompletableFuture<>();
        pending.put(id, answer);
        JsonObject message = new JsonObject();
        message.addProperty("id", id);
        message.addProperty("method", method);
        message.add("params", params);
        page.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
        JsonObject reply = answer.get(120, TimeUnit.SECONDS);
        if (reply.has("error")) {
            throw new IllegalStateException(method + " failed: " + reply.get("error"));
        }
        return reply.getAsJsonObject("result");
    }

    /** Opens {@code url} and waits for its load event. */
    void open(String url) throws Exception {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        loads.add(loaded);
        JsonObject params = new JsonObject();
        params.addProperty("url", url);
        call("Page.navigate", params);
        loaded.get(120, TimeUnit.SECONDS);
        loads.remove(loaded);
    }

    void reload() throws Exception {
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        loads.add(loaded);
        JsonObject params = new JsonObject();
        params.addProperty("ignoreCache", true);
        call("Page.reload", params);
        loaded.get(120, TimeUnit.SECONDS);
        loads.remove(loaded);
    }

    /** The value of a JavaScript expression (promises awaited), as JSON. */
    JsonElement evaluate(String expression) throws Exception {
        JsonObject params = new JsonObject();
        params.addProperty("expression", expression);
        params.addProperty("returnByValue", true);
        params.addProperty("awaitPromise", true);
        JsonObject result = call("Runtime.evaluate", params);
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw: " + result.get("exceptionDetails"));
        }
        JsonObject value = result.getAsJsonObject("result");
        return value.has("value") ? value.get("value") : null;
    }

    /** Waits until {@code condition} (a JavaScript expression) is true; false when {@code timeout} passes first. */
    boolean waitFor(String condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonElement value = evaluate("!!(" + condition + ")");
            if (value != null && value.getAsBoolean()) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    /** Charts (divs of class headroom-plot) in the page, and how many of them plotly drew (an svg.main-svg inside). */
    int[] charts() throws Exception {
        JsonArray counts = evaluate("[document.querySelectorAll('div.headroom-plot').length, "
                + "Array.from(document.querySelectorAll('div.headroom-plot')).filter(d => d.querySelector('svg.main-svg')).length]")
                .getAsJsonArray();
        return new int[] {counts.get(0).getAsInt(), counts.get(1).getAsInt()};
    }

    /** Every URL the page requested so far. */
    List<String> requests() {
        return new ArrayList<>(requests);
    }

    /** Script exceptions, console errors and error log entries so far. */
    List<String> errors() {
        return new ArrayList<>(errors);
    }

    void clearRecords() {
        requests.clear();
        errors.clear();
    }

    @Override
    public void close() {
        try {
            page.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
        ItEnvironment.destroyTree(process);
    }

    /** Reads a file as UTF-8 (for tests that compare a page with what the browser shows). */
    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
