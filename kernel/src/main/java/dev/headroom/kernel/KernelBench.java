package dev.headroom.kernel;

import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.messages.HMACGenerator;
import io.github.spencerpark.jupyter.messages.Header;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import io.github.spencerpark.jupyter.messages.request.KernelInfoRequest;
import io.github.spencerpark.jupyter.messages.request.ShutdownRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/**
 * {@code ./headroom bench kernel}: how fast the kernel answers the way a notebook uses it. Starts the
 * kernel as Jupyter would (its own JVM, {@code -Xmx} from {@code HEADROOM_KERNEL_XMX}, default 2g, the
 * startup script), talks to it over ZeroMQ, and prints, with the machine it ran on:
 *
 * <ul>
 *   <li>kernel ready and first table rendered (target under 3 s): process start to the execute_result
 *       of a first DSL sweep table;</li>
 *   <li>first chart (target under 2 s): a plot of that table, plotly.js travelling with it;</li>
 *   <li>a 1,000-row sweep cell (target under 0.5 s): its first run and the median of five more.</li>
 * </ul>
 *
 * A measurement, not a test: it fails only when the kernel does not answer or a cell fails.
 */
public final class KernelBench {
    static final String TABLE_CELL = "var llama = model(\"llama-3.1-8b\").on(\"h100-sxm\").input(2048).output(512);\n"
            + "var byBatch = llama.sweep().batch(1, 8, 32, 64, 128, 256).table();\nbyBatch";
    static final String CHART_CELL = "Plots.memory(byBatch, \"batch\")";
    static final String SWEEP_CELL = "llama.sweep()\n"
            + "    .batch(IntStream.rangeClosed(1, 100).boxed().toArray(Integer[]::new))\n"
            + "    .input(512, 1024, 2048, 4096, 8192)\n"
            + "    .kv(\"bf16\", \"fp8\")\n"
            + "    .table().rowCount()";
    private static final long ANSWER_TIMEOUT_MS = 120_000;

    private KernelBench() {}

    public static void main(String[] args) throws Exception {
        Path startup = null;
        int runs = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--startup" -> startup = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: java -cp headroom-kernel.jar dev.headroom.kernel.KernelBench [--startup FILE] [--runs N]");
                    System.exit(2);
                }
            }
        }
        System.exit(run(startup, runs));
    }

    private record Timed(double seconds, String result) {}

    static int run(Path startup, int runs) throws Exception {
        Path jar = ownJar();
        String xmx = Optional.ofNullable(System.getenv(HeapAdvice.XMX_ENV)).filter(s -> !s.isBlank()).orElse("2g");
        Path work = Files.createTempDirectory("headroom-kernel-bench");
        Path connectionFile = work.resolve("connection.json");
        KernelConnectionProperties connection = connection();
        Files.writeString(connectionFile, connection.toJsonString(), StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The class-data archive install-kernel.sh makes beside the jar, when it is up to date: as the kernelspec starts it.
        Path archive = jar.resolveSibling(jar.getFileName().toString().replaceFirst("\\.jar$", ".jsa"));
        boolean withArchive = Files.isRegularFile(archive) && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(jar)) >= 0;
        if (withArchive) {
            command.add("-XX:SharedArchiveFile=" + archive);
            command.add("-Xlog:cds*=off");
        }
        command.addAll(List.of("-Xmx" + xmx, "-XX:+UseSerialGC", "-jar", jar.toString()));
        if (startup != null) {
            command.add("--startup");
            command.add(startup.toString());
        }
        command.add(connectionFile.toString());
        Path log = work.resolve("kernel.log");

        System.out.printf(Locale.ROOT, "Headroom kernel benchmark: %d cores, %s, Java %s (%s), kernel -Xmx%s, %s%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), xmx, withArchive ? "class-data archive" : "no class-data archive");
        long start = System.nanoTime();
        Process kernel = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (ZMQ.Context context = ZMQ.context(1); Client client = new Client(context, connection)) {
            double ready = client.awaitKernelInfo(start, kernel);
            Timed table = client.execute(TABLE_CELL);
            double tableAt = (System.nanoTime() - start) / 1e9;
            Timed chart = client.execute(CHART_CELL);
            Timed firstSweep = client.execute(SWEEP_CELL);
            List<Double> sweeps = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                sweeps.add(client.execute(SWEEP_CELL).seconds());
            }
            Collections.sort(sweeps);
            String rows = firstSweep.result();
            row("kernel answers kernel_info", ready, null);
            row("kernel ready and first table rendered", tableAt, 3.0);
            row("  (the table cell itself)", table.seconds(), null);
            row("first chart (plotly.js sent with it)", chart.seconds(), 2.0);
            row("1,000-row sweep cell, first run", firstSweep.seconds(), null);
            row("1,000-row sweep cell, median of " + runs + " more", sweeps.get(sweeps.size() / 2), 0.5);
            if (!"1000".equals(rows)) {
                System.out.println("note: the sweep cell returned " + rows + " rows, not 1000");
            }
            client.shutdown();
        } catch (BenchFailure e) {
            System.out.println("benchmark failed: " + e.getMessage() + " (kernel log: " + log + ")");
            return 1;
        } finally {
            if (!kernel.waitFor(10, TimeUnit.SECONDS)) {
                kernel.destroyForcibly();
            }
        }
        return 0;
    }

    private static void row(String what, double seconds, Double target) {
        String verdict = target == null ? "" : String.format(Locale.ROOT, "target < %.1f s  %s", target, seconds < target ? "ok" : "MISSED");
        System.out.printf(Locale.ROOT, "  %-44s %7.2f s   %s%n", what, seconds, verdict);
    }

    private static Path ownJar() throws URISyntaxException {
        Path location = Path.of(KernelBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isRegularFile(location) || !location.toString().endsWith(".jar")) {
            throw new IllegalStateException("run KernelBench from headroom-kernel.jar (java -cp headroom-kernel.jar ...), not from " + location);
        }
        return location;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static KernelConnectionProperties connection() throws IOException {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return new KernelConnectionProperties("127.0.0.1", freePort(), freePort(), freePort(), freePort(), freePort(),
                "tcp", "hmac-sha256", HexFormat.of().formatHex(key));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static final class BenchFailure extends Exception {
        BenchFailure(String message) {
            super(message);
        }
    }

    /** A Jupyter client on basekernel's socket and message classes: shell (DEALER) and iopub (SUB). */
    private static final class Client implements AutoCloseable {
        private final Socket shell;
        private final Socket iopub;
        private final ZMQ.Poller poller;

        Client(ZMQ.Context context, KernelConnectionProperties connection) throws Exception {
            HMACGenerator hmac = connection.createHMACGenerator();
            shell = new Socket(context, SocketType.DEALER, hmac);
            iopub = new Socket(context, SocketType.SUB, hmac);
            iopub.subscribe(new byte[0]);
            shell.connect("tcp://127.0.0.1:" + connection.getShellPort());
            iopub.connect("tcp://127.0.0.1:" + connection.getIopubPort());
            poller = context.poller(2);
            poller.register(shell, ZMQ.Poller.POLLIN);
            poller.register(iopub, ZMQ.Poller.POLLIN);
        }

        /** Sends kernel_info_request until the kernel answers on shell and iopub; seconds since {@code start}. */
        double awaitKernelInfo(long start, Process kernel) throws BenchFailure {
            long deadline = System.currentTimeMillis() + ANSWER_TIMEOUT_MS;
            Set<String> sent = new HashSet<>();
            while (System.currentTimeMillis() < deadline) {
                if (!kernel.isAlive()) {
                    throw new BenchFailure("the kernel exited with status " + kernel.exitValue());
                }
                sent.add(send(MessageType.KERNEL_INFO_REQUEST, new KernelInfoRequest()));
                if (awaitDone(sent, 500).isPresent()) {
                    return (System.nanoTime() - start) / 1e9;
                }
            }
            throw new BenchFailure("no kernel_info_reply within " + ANSWER_TIMEOUT_MS / 1000 + " s");
        }

        Timed execute(String code) throws BenchFailure {
            long start = System.nanoTime();
            String id = send(MessageType.EXECUTE_REQUEST, new ExecuteRequest(code, false, true, Map.of(), false, true));
            Optional<Done> done = awaitDone(Set.of(id), ANSWER_TIMEOUT_MS);
            if (done.isEmpty()) {
                throw new BenchFailure("no answer within " + ANSWER_TIMEOUT_MS / 1000 + " s to: " + code.lines().findFirst().orElse(""));
            }
            if (done.get().error() != null) {
                throw new BenchFailure("the cell failed: " + done.get().error() + "\n" + code);
            }
            return new Timed((System.nanoTime() - start) / 1e9, done.get().result());
        }

        void shutdown() {
            send(MessageType.SHUTDOWN_REQUEST, ShutdownRequest.SHUTDOWN);
            awaitDone(Set.of(), 2_000);
        }

        private <T> String send(MessageType<T> type, T content) {
            Header<T> header = new Header<>("headroom-bench", type);
            shell.sendMessage(new Message<>(header, content));
            return header.getId();
        }

        private record Done(String result, String error) {}

        /** A received message, read as JSON (basekernel's reader cannot parse status messages). */
        private record Received(String type, String parentId, com.google.gson.JsonObject content) {}

        private static Received read(Socket socket) {
            byte[] frame = socket.recv();
            while (frame != null && !new String(frame, StandardCharsets.US_ASCII).equals("<IDS|MSG>")) {
                frame = socket.recv();
            }
            socket.recv(); // signature
            com.google.gson.JsonObject header = json(socket.recv());
            com.google.gson.JsonObject parent = json(socket.recv());
            socket.recv(); // metadata
            com.google.gson.JsonObject content = json(socket.recv());
            while (socket.hasReceiveMore()) {
                socket.recv();
            }
            String parentId = parent.has("msg_id") ? parent.get("msg_id").getAsString() : null;
            return new Received(header.get("msg_type").getAsString(), parentId, content);
        }

        private static com.google.gson.JsonObject json(byte[] bytes) {
            return new com.google.gson.JsonParser().parse(new String(bytes, StandardCharsets.UTF_8)).getAsJsonObject();
        }

        /** Waits for a reply and the idle status of one of the requests {@code ids} (empty: any); empty on timeout. */
        private Optional<Done> awaitDone(Set<String> ids, long timeoutMs) {
            long deadline = System.currentTimeMillis() + timeoutMs;
            boolean replied = false;
            boolean idle = false;
            String result = null;
            String error = null;
            while ((!replied || !idle) && System.currentTimeMillis() < deadline) {
                if (poller.poll(Math.max(1, deadline - System.currentTimeMillis())) <= 0) {
                    continue;
                }
                if (poller.pollin(0)) {
                    Received message = read(shell);
                    if (ids.isEmpty() || ids.contains(message.parentId())) {
                        replied = true;
                        if (message.content().has("status") && message.content().get("status").getAsString().equals("error")) {
                            error = message.content().has("evalue") ? message.content().get("evalue").getAsString() : "error";
                        }
                    }
                }
                if (poller.pollin(1)) {
                    Received message = read(iopub);
                    if (ids.isEmpty() || ids.contains(message.parentId())) {
                        switch (message.type()) {
                            case "status" -> idle |= message.content().get("execution_state").getAsString().equals("idle");
                            case "execute_result" -> result = message.content().getAsJsonObject("data").get("text/plain").getAsString();
                            case "error" -> error = message.content().get("ename").getAsString() + ": "
                                    + message.content().get("evalue").getAsString();
                            default -> { }
                        }
                    }
                }
            }
            return replied && idle ? Optional.of(new Done(result, error)) : Optional.empty();
        }

        @Override
        public void close() {
            shell.close();
            iopub.close();
        }
    }

    /** basekernel's socket (HMAC-signed Jupyter messages) on the client side: connects instead of binding. */
    private static final class Socket extends JupyterSocket {
        Socket(ZMQ.Context context, SocketType type, HMACGenerator hmac) {
            super(context, type, hmac, Logger.getLogger("headroom-bench"));
        }

        @Override
        public void bind(KernelConnectionProperties connection) {
            throw new UnsupportedOperationException("a client connects");
        }
    }
}
