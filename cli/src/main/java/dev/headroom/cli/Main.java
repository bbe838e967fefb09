package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Names;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code headroom estimate|sweep|fit|plan|train|catalog|engines|validate ...}: exit 0 on success, 2 on a user mistake
 * (one line naming the field, the value and the valid choices; no stack trace).
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
                if (t instanceof InvalidInputException) { // also when raised while the catalog loads
                    err.println("headroom: " + t.getMessage());
                    return 2;
                }
            }
            throw e;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("headroom: " + e.getMessage() + suggestion(e) + " (see 'headroom "
                    + qualified(e.getCommandLine()) + "--help')");
            return 2;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** "estimate " for a subcommand, "" for the top level: the help hint never repeats the program name. */
    private static String qualified(CommandLine line) {
        String q = line.getCommandSpec().qualifiedName(" ");
        return q.equals("headroom") ? "" : q.substring("headroom ".length()) + " ";
    }

    /** Nearest command or option for a misspelled one. */
    private static String suggestion(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return "";
        }
        String typed = u.getUnmatched().get(0);
        List<String> candidates = new java.util.ArrayList<>(e.getCommandLine().getSubcommands().keySet());
        e.getCommandLine().getCommandSpec().options().forEach(o -> candidates.add(o.longestName()));
        if (candidates.isEmpty()) {
            return "";
        }
        String best = Names.nearestFirst(typed, candidates).get(0);
        return Names.distance(typed.toLowerCase(java.util.Locale.ROOT), best) <= Math.max(2, typed.length() / 3)
                ? " — did you mean '" + best + "'?" : "";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this),
                "choose a command: estimate, sweep, fit, plan, train, catalog, engines, validate");
    }
}
