package dev.headroom.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Entry point of {@code headroom-kernel.jar}: {@code java -jar headroom-kernel.jar [--startup FILE] CONNECTION_FILE}.
 *
 * <p>Environment: {@code HEADROOM_STARTUP} (startup script when no {@code --startup}),
 * {@code HEADROOM_PLOTLY_SRC} (figures reference this relative plotly.js file instead of carrying it),
 * {@code HEADROOM_MAVEN_REPO} / {@code HEADROOM_M2_REPO} (where {@code %maven} downloads from and to),
 * {@code JPY_PARENT_PID} (set by Jupyter: the kernel exits when that process is gone).
 */
public final class KernelMain {
    private static final long REPLY_GRACE_MS = 150;
    private static final long EXIT_GRACE_MS = 2_000;
    private KernelMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream stderr = System.err;
        quietLibraryLogging();
        KernelOptions options;
        PlotlyEmbedding plotly;
        try {
            options = KernelOptions.parse(args, System.getenv());
            plotly = PlotlyEmbedding.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            stderr.println("headroom kernel: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<StartupScript> startup = options.startupScripts().stream().map(StartupScript::read).toList();
        CompletableFuture<JShellEvaluator> evaluator = HeadroomKernel.startEvaluator(ClassPaths.ofThisJvm(), startup, stderr);

        String connectionJson = Files.readString(options.connectionFile(), StandardCharsets.UTF_8);
        HeapAdvice.holdReserve();
        HeadroomKernel kernel = new HeadroomKernel(evaluator, plotly, (PrintStream) null, (PrintStream) null);
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(connectionJson));
        kernel.becomeHandlerForConnection(connection);
        Interrupts.forwardSigint(kernel::interrupt);
        ParentWatch.exitWhenGone(System.getenv("JPY_PARENT_PID"));
        connection.connect();
        kernel.awaitShutdownRequest();
        exit();
    }

    /**
     * Exits without closing the ZeroMQ sockets (the OS does that): first a moment for the shutdown
     * reply and the idle status to leave, then System.exit, and a halt should a shutdown hook
     * registered by cell code not finish.
     */
    private static void exit() throws InterruptedException {
        Thread.sleep(REPLY_GRACE_MS);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0);
        }, "headroom-exit");
        halt.setDaemon(true);
        halt.start();
        System.exit(0);
    }

    /**
     * basekernel logs every channel loop start and stop at INFO on stderr (under per-thread logger
     * names); keep its warnings and errors, and leave other loggers alone.
     */
    private static void quietLibraryLogging() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            Filter previous = handler.getFilter();
            handler.setFilter(record -> {
                String source = record.getSourceClassName();
                boolean chatty = record.getLevel().intValue() < Level.WARNING.intValue() && source != null
                        && (source.startsWith("io.github.spencerpark.") || source.startsWith("org.zeromq."));
                return !chatty && (previous == null || previous.isLoggable(record));
            });
        }
    }
}
