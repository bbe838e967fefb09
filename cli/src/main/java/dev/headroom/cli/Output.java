package dev.headroom.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The --format option and where a command prints: every command offers text, JSON and CSV over one model. */
final class Output {
    @Option(names = "--format", defaultValue = "text", description = "text, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    void print(String text) {
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
    }
}
