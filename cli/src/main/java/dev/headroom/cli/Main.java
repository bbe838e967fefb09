package dev.headroom.cli;

import dev.headroom.core.InvalidInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code headroom estimate|sweep|fit|plan|catalog|validate ...}: exit 0 on success, 2 on a user mistake (one line, no stack trace). */
@Command(name = "headroom", mixinStandardHelpOptions = true, version = "headroom 0.1.0",
        description = "Sizes LLM deployments: memory, KV cache, throughput, latency and cost.",
        subcommands = {EstimateCommand.class, SweepCommand.class, FitCommand.class, PlanCommand.class, CatalogCommand.class, ValidateCommand.class})
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
                if (t instanceof InvalidInputException) { // also when raised while the catalog loads
                    err.println("headroom: " + t.getMessage());
                    return 2;
                }
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("headroom: " + e.getMessage());
            err.println("Run 'headroom " + String.join(" ", e.getCommandLine().getCommandName()) + " --help' for the options.");
            return 2;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "choose a command: estimate, sweep, fit, plan, catalog, validate");
    }
}
