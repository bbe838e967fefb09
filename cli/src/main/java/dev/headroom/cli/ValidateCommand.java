package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.validation.ValidationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Replays published measurements (validation/) through the estimator and prints every case with its error.")
final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "${sys:headroom.validation:-validation}", paramLabel = "DIR", description = "Folder with the measurement files (default: ${DEFAULT-VALUE}).")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(data.resolve("memory.csv"))) {
            throw new InvalidInputException("--data " + data + " holds no memory.csv (run from the project root, or point --data at the validation folder)");
        }
        ValidationReport report = ValidationReport.of(data);
        spec.commandLine().getOut().print(report);
        spec.commandLine().getOut().printf("gates (exact counts and memory within tolerance; speed cross-validated: >= %.0f%% within "
                        + "tolerance, geometric mean <= %.0f%%, bands covering >= %.0f%%; training: estimator examples exact, memory and "
                        + "held-out time >= %.0f%%): %s%n",
                100 * ValidationReport.SPEED_MIN_SHARE, 100 * ValidationReport.SPEED_MAX_GEOMEAN,
                100 * ValidationReport.SPEED_MIN_BAND_COVERAGE, 100 * ValidationReport.TRAINING_MIN_SHARE,
                report.passes() ? "PASS" : "FAIL");
        return report.passes() ? 0 : 1;
    }
}
