package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.Names;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code headroom estimate|sweep|fit|plan|catalog|engines|validate ...}: exit 0 on success, 2 on a user mistake
 * (one line naming the field, the value and the valid choices; no stack trace), 70 on an internal error (one line;
 * HEADROOM_TRACE=1 adds the trace to report).
 */
@Command(name = "headroom", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Sizes LLM deployments: memory, KV cache, throughput, latency and cost.",
        subcommands = {EstimateCommand.class, SweepCommand.class, FitCommand.class, PlanCommand.class, CatalogCommand.class,
                EnginesCommand.class, ValidateCommand.class})
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
            err.println("headroom: " + describe(e) + " (see 'headroom " + qualified(e.getCommandLine()) + "--help')");
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

    /** Picocli's message, in this tool's words where it has better ones: unknown commands and misspelled options named. */
    private static String describe(CommandLine.ParameterException e) {
        CommandLine line = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u && line.getParent() == null && !u.getUnmatched().isEmpty()
                && !u.getUnmatched().get(0).startsWith("-")) {
            return "unknown command '" + u.getUnmatched().get(0) + "'" + suggestion(e) + " — commands: "
                    + String.join(", ", line.getSubcommands().keySet());
        }
        if (e instanceof CommandLine.MissingParameterException missing) {
            String misspelled = misspelledRequired(missing);
            if (misspelled != null) {
                return misspelled;
            }
        }
        return e.getMessage() + suggestion(e);
    }

    /**
     * "--modle x" leaves --model missing: picocli reports the missing option, but the user's mistake is the typo,
     * so name it with the option it was meant to be.
     */
    private static String misspelledRequired(CommandLine.MissingParameterException e) {
        for (String arg : e.getCommandLine().getUnmatchedArguments()) {
            if (!arg.startsWith("--")) {
                continue;
            }
            String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            for (CommandLine.Model.ArgSpec spec : e.getMissing()) {
                if (spec instanceof CommandLine.Model.OptionSpec o
                        && Names.distance(typed.toLowerCase(java.util.Locale.ROOT), o.longestName()) <= Math.max(2, typed.length() / 3)) {
                    return "unknown option " + typed + " — did you mean " + o.longestName() + "?";
                }
            }
        }
        return null;
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
                "choose a command: estimate, sweep, fit, plan, catalog, engines, validate");
    }
}
