package dev.headroom.kernel;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The training run for the kernel's class-data archive: {@code kernel-setup/install-kernel.sh} runs
 * {@code java -XX:ArchiveClassesAtExit=headroom-kernel.jsa -cp headroom-kernel.jar dev.headroom.kernel.CdsTraining STARTUP}
 * and the kernelspec then starts the kernel with {@code -XX:SharedArchiveFile}: the classes a first
 * table and a first chart need (JShell's compiler, the DSL, Tablesaw, the kernel) load from the archive,
 * which takes about 0.7 s off the first table on a 2-core machine.
 *
 * <p>Runs the startup script and the benchmark's cells in this JVM; a cell that fails (a DSL that
 * changed) only leaves its classes out of the archive.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws Exception {
        List<StartupScript> startup = args.length == 0 ? List.of() : List.of(StartupScript.read(Path.of(args[0])));
        CompletableFuture<JShellEvaluator> evaluator = HeadroomKernel.startEvaluator(ClassPaths.ofThisJvm(), startup, System.err);
        HeadroomKernel kernel = new HeadroomKernel(evaluator, PlotlyEmbedding.inline(PlotlyAsset::gzippedBase64),
                (PrintStream) null, (PrintStream) null);
        for (String cell : List.of(KernelBench.TABLE_CELL, KernelBench.CHART_CELL, KernelBench.SWEEP_CELL, "1 + 1")) {
            try {
                kernel.eval(cell);
            } catch (Exception e) {
                System.err.println("class-data training: a cell failed (its classes stay out of the archive): " + e.getMessage());
            }
        }
        kernel.close();
        System.exit(0);
    }
}
