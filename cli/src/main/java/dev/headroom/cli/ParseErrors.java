package dev.headroom.cli;

import dev.headroom.core.base.Names;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Picocli's parse errors in this tool's words: unknown commands called so, misspelled commands and options with the
 * nearest valid one, and the help hint naming the subcommand once ("see 'headroom fit --help'", never "headroom headroom").
 */
final class ParseErrors {
    private ParseErrors() {}

    /** The one line printed after "headroom: ". */
    static String line(CommandLine.ParameterException e) {
        return describe(e) + " (see 'headroom " + qualified(e.getCommandLine()) + "--help')";
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
                        && Names.distance(typed.toLowerCase(Locale.ROOT), o.longestName()) <= Math.max(2, typed.length() / 3)) {
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
        return Names.distance(typed.toLowerCase(Locale.ROOT), best) <= Math.max(2, typed.length() / 3)
                ? " — did you mean '" + best + "'?" : "";
    }
}
