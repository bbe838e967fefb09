package dev.headroom.cli;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.perf.Calibration;
import dev.headroom.validation.CalibrationRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fits the speed model's constants to published measurements (or your own) and reports the error on "
                + "sources the fit did not see (leave one source out). Writes the calibration file estimates read.",
                "Without --measurements: refits Headroom's own calibration from validation/ into calibration/calibration.json.",
                "With --measurements: fits to your CSV files (the columns of validation/throughput.csv), starting from Headroom's "
                        + "calibration, and writes --out; pass that file to estimates with --calibration (DSL: .calibration(path))."})
final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--data", defaultValue = "${sys:headroom.validation:-validation}", paramLabel = "DIR",
            description = "Folder with throughput.csv and found/throughput.csv (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--measurements", paramLabel = "CSV", split = ",",
            description = "Your own measurements, in validation/throughput.csv's columns (one or more files).")
    List<Path> measurements;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the calibration (default: calibration/calibration.json, or my-calibration.json with --measurements).")
    Path out;

    @Option(names = "--list", description = "Also print every figure with its cross-validated prediction and error.")
    boolean list;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean own = measurements != null && !measurements.isEmpty();
        List<Path> files = own ? measurements : CalibrationRun.speedFiles(data);
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new InvalidInputException((own ? "--measurements " : "--data ") + f + ": file not found");
            }
        }
        if (files.isEmpty()) {
            throw new InvalidInputException("--data " + data + " holds no throughput.csv (run from the project root, or point --data at the validation folder)");
        }
        CalibrationRun run = CalibrationRun.fit(files, own ? Calibration.DEFAULT : Calibration.priors());
        Path target = out != null ? out : Path.of(own ? "my-calibration.json" : "calibration/calibration.json");
        run.write(target);
        if (list) {
            spec.commandLine().getOut().print(run.caseList());
        }
        spec.commandLine().getOut().print(run.report());
        spec.commandLine().getOut().println("wrote " + target + (own ? "" : " (rebuild to ship it: the core reads it from its jar)"));
        return 0;
    }
}
