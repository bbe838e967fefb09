package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Rewrites the core's field names into the command line's ("tp = 0" becomes "--tp = 0"), and names the numbers the
 * user gave when a size is too large to count, so every message speaks of options the user can change.
 */
final class CallerWords {
    /** The core's field names that are options under another spelling; engine knobs (block_size) map by their dashes. */
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("batch", "--batch"), Map.entry("concurrency", "--concurrency"), Map.entry("request rate", "--request-rate"),
            Map.entry("input tokens", "--input-tokens"), Map.entry("output tokens", "--output-tokens"),
            Map.entry("input tokens + output tokens", "--input-tokens + --output-tokens"),
            Map.entry("gpus", "--gpus"), Map.entry("tp", "--tp"), Map.entry("pp", "--pp"), Map.entry("ep", "--ep"),
            Map.entry("users", "--users"), Map.entry("latency", "--latency-s"), Map.entry("model", "--model"), Map.entry("gpu", "--gpu"));

    /** Every engine's own settings: the command line takes them as options spelled with dashes. */
    private static final java.util.Set<String> ENGINE_KNOBS = dev.headroom.core.engine.Engines.ids().stream()
            .flatMap(id -> dev.headroom.core.engine.Engines.named(id).settings().stream())
            .map(dev.headroom.core.engine.Engine.Setting::name)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private CallerWords() {}

    static InvalidInputException of(InvalidInputException e, ParseResult parsed) {
        ParseResult command = deepest(parsed);
        InvalidInputException out = e.renamed(optionFor(e.field(), command.commandSpec().commandLine()));
        if (e.isTooLarge()) {
            List<String> sizes = numbersGiven(command);
            if (!sizes.isEmpty()) {
                out = out.withContext(String.join(", ", sizes));
            }
        }
        return out;
    }

    private static ParseResult deepest(ParseResult p) {
        return p.hasSubcommand() ? deepest(p.subcommand()) : p;
    }

    /** The option a core field stands for in this command, or null to leave the message as it is. */
    private static String optionFor(String field, CommandLine command) {
        if (field == null) {
            return null;
        }
        String option = OPTIONS.get(field);
        if ("tp".equals(field) && command.getCommandName().equals("sweep")) {
            option = "--gpus"; // a sweep sets tp from its GPU counts
        }
        if (option == null && ENGINE_KNOBS.contains(field)) {
            option = "--" + field.replace('_', '-'); // an engine knob, given as --block-size
        }
        return option;
    }

    /** "--batch 1000000", "--input-tokens 1073741824": every option given as a number, in the order typed. */
    private static List<String> numbersGiven(ParseResult command) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : command.matchedOptions()) {
            for (String v : o.originalStringValues()) {
                if (v.matches("-?[0-9][0-9_.,eE+-]*")) {
                    out.add(o.longestName() + " " + v);
                }
            }
        }
        return out;
    }
}
