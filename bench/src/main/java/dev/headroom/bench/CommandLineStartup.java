package dev.headroom.bench;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Wall time of one {@code headroom estimate} as the launcher runs it (class-data-sharing archive, client compiler),
 * against a bare {@code java -version} on the same machine, measured in one run: median of several starts each.
 * Usage: {@code CommandLineStartup <java> <cli jar> <cds archive or -> [runs]}.
 */
public final class CommandLineStartup {
    private CommandLineStartup() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String java = args[0];
        String jar = args[1];
        String archive = args[2];
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 11;
        List<String> estimate = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xlog:cds=off",
                "-Xlog:cds+dynamic=off"));
        if (!archive.equals("-") && new File(archive).isFile()) {
            estimate.add("-XX:SharedArchiveFile=" + archive);
        }
        estimate.addAll(List.of("-jar", jar, "estimate", "--model", "llama-3.1-70b", "--gpu", "h100-sxm", "--gpus", "4",
                "--format", "json"));
        double bare = median(List.of(java, "-version"), runs);
        double cli = median(estimate, runs);
        System.out.printf(Locale.ROOT, "command line: java -version %.0f ms, headroom estimate %.0f ms (median of %d): %.1fx%n",
                bare * 1e3, cli * 1e3, runs, cli / bare);
    }

    private static double median(List<String> command, int runs) throws IOException, InterruptedException {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            int exit = p.waitFor();
            t[i] = (System.nanoTime() - start) / 1e9;
            if (exit != 0) {
                throw new IllegalStateException("exit " + exit + " from " + String.join(" ", command));
            }
        }
        Arrays.sort(t);
        return t[runs / 2];
    }
}
