package dev.headroom.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code catalog models|gpus|show}: finding things in the catalog. */
@Command(name = "catalog", mixinStandardHelpOptions = true,
        description = "Lists the catalog's models or GPUs (filtered), or shows one entry in full with its sources.",
        subcommands = {CatalogModelsCommand.class, CatalogGpusCommand.class, CatalogShowCommand.class})
final class CatalogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "choose what to look at: models, gpus or show ID");
    }
}
