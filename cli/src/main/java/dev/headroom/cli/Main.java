package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code headroom estimate|sweep|fit|plan|train|catalog|engines|validate ...}: exit 0 on success, 2 on a user mistake
 * (one line naming the field, the value and the valid choices; no stack trace), 70 on an internal error (one line;
 * HEADROOM_TRACE=1 adds the trace to report).
 */
@Command(name = "headroom", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sizes LLM deployments: memory, KV cache, throughput, latency and cost.",
        subcommands = {EstimateCommand.class, SweepCommand.class, FitCommand.class, PlanCommand.class, TrainCommand.class,
                CatalogCommand.class, EnginesCommand.class, ValidateCommand.class, CalibrateCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line; the streams are parameters so tests can read what a user would see. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof InvalidInputException invalid) { // also when raised while the catalog loads
                    err.println("headroom: " + CallerWords.of(invalid, parsed).getMessage());
                    return 2;
                }
            }
            // Not the user's mistake: a bug. One line, exit 70; HEADROOM_TRACE=1 shows the trace for the report.
            err.println("headroom: internal error, please report it with the command line: " + e);
            if (System.getenv("HEADROOM_TRACE") != null) {
                e.printStackTrace(err);
            }
            return 70;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("headroom: " + ParseErrors.line(e));
            return 2;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "choose a command: estimate, sweep, fit, plan, train, catalog, engines, validate");
    }
}
