package dev.headroom.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What the integration tests need from the machine: the packaged kernel jar, a Python with
 * jupyter_client/nbconvert, the jupyter command, Chromium, and a throw-away JUPYTER_PATH with the
 * kernelspec installed by kernel-setup/install-kernel.sh. Missing tools fail the test with the fix.
 */
final class ItEnvironment {
    static final String INSTALL_JUPYTER = "run kernel-setup/install-jupyter.sh (as root on Debian/Ubuntu it installs "
            + "jupyter-nbconvert, jupyter-client, jupyter-notebook)";

    private ItEnvironment() {}

    record ProcessResult(int exitCode, String stdout, String stderr, boolean timedOut) {
        String describe() {
            return (timedOut ? "TIMED OUT" : "exit " + exitCode) + "\n--- stdout (tail) ---\n" + tail(stdout)
                    + "\n--- stderr (tail) ---\n" + tail(stderr);
        }

        private static String tail(String text) {
            return text.length() <= 4000 ? text : "…" + text.substring(text.length() - 4000);
        }
    }

    static Path repoRoot() {
        return Path.of(requiredProperty("headroom.repo.root")).toAbsolutePath().normalize();
    }

    static Path kernelJar() {
        Path jar = Path.of(requiredProperty("headroom.kernel.jar"));
        assertTrue(Files.isRegularFile(jar), "kernel jar missing: " + jar + " (integration tests run after `mvn package`)");
        return jar;
    }

    /** An empty directory under target/it-work. */
    static Path freshWorkDir(String name) {
        Path dir = Path.of(requiredProperty("headroom.it.work")).resolve(name);
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path testResource(String path) {
        try {
            return Path.of(ItEnvironment.class.getResource(path).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + path + " missing", e);
        }
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            fail("system property " + name + " is not set: run the integration tests through `mvn verify`");
        }
        return value;
    }

    static Optional<Path> onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static Path jupyter() {
        return onPath("jupyter").orElseGet(() -> fail("the jupyter command is not on PATH: " + INSTALL_JUPYTER));
    }

    /**
     * A Python that can import jupyter_client, nbclient and nbconvert: $HEADROOM_PYTHON, the
     * interpreter of the jupyter command, or python3.
     */
    static String python() {
        Set<String> candidates = new LinkedHashSet<>();
        Optional.ofNullable(System.getenv("HEADROOM_PYTHON")).filter(s -> !s.isBlank()).ifPresent(candidates::add);
        onPath("jupyter").flatMap(ItEnvironment::interpreterOf).ifPresent(candidates::add);
        candidates.add("python3");
        for (String python : candidates) {
            ProcessResult probe = run(List.of(python, "-c", "import jupyter_client, nbclient, nbconvert"), Map.of(),
                    Duration.ofSeconds(60), null);
            if (!probe.timedOut() && probe.exitCode() == 0) {
                return python;
            }
        }
        return fail("no Python with jupyter_client, nbclient and nbconvert (tried " + candidates + "): " + INSTALL_JUPYTER);
    }

    private static Optional<String> interpreterOf(Path script) {
        try {
            String first = Files.readAllLines(script, StandardCharsets.ISO_8859_1).stream().findFirst().orElse("");
            if (!first.startsWith("#!")) {
                return Optional.empty();
            }
            String[] words = first.substring(2).strip().split("\\s+");
            if (words.length >= 2 && words[0].endsWith("/env")) {
                return Optional.of(words[1]);
            }
            return Optional.of(words[0]);
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            Optional<Path> found = onPath(name);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return fail("Chromium is not installed (needed to check that charts draw): install it, e.g. "
                + "`apt-get install chromium` or kernel-setup/install-jupyter.sh --with-chromium");
    }

    /** Installs the "headroom" kernelspec with install-kernel.sh into {@code jupyterPath}/kernels. */
    static void installKernelspec(Path jupyterPath) {
        installKernelspec(jupyterPath, Map.of());
    }

    /** As {@link #installKernelspec(Path)}, with install-kernel.sh's environment (HEADROOM_KERNEL_XMX). */
    static void installKernelspec(Path jupyterPath, Map<String, String> environment) {
        ProcessResult result = run(List.of("bash", repoRoot().resolve("kernel-setup/install-kernel.sh").toString(),
                "--jupyter-path", jupyterPath.toString(), "--jar", kernelJar().toString()), environment, Duration.ofSeconds(60), null);
        assertEquals(0, result.exitCode(), "install-kernel.sh failed: " + result.describe());
        assertTrue(Files.isRegularFile(jupyterPath.resolve("kernels/headroom/kernel.json")), result.describe());
    }

    /** Environment for Jupyter processes: our kernelspec first, no user-level Jupyter state. */
    static Map<String, String> jupyterEnvironment(Path work, Path jupyterPath) {
        Map<String, String> env = new HashMap<>();
        env.put("JUPYTER_PATH", jupyterPath.toString());
        env.put("JUPYTER_DATA_DIR", work.resolve("jupyter-data").toString());
        env.put("JUPYTER_RUNTIME_DIR", work.resolve("jupyter-runtime").toString());
        env.put("JUPYTER_CONFIG_DIR", work.resolve("jupyter-config").toString());
        env.put("PYTHONWARNINGS", "ignore");
        return env;
    }

    /** Runs a process to completion or kills it (and its children) after {@code timeout}. */
    static ProcessResult run(List<String> command, Map<String, String> environment, Duration timeout, Path directory) {
        Process process = start(command, environment, directory);
        try {
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroyTree(process);
            }
            return new ProcessResult(finished ? process.exitValue() : -1, read(process, "out"), read(process, "err"), !finished);
        } catch (InterruptedException e) {
            destroyTree(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    /** Starts a process whose stdout and stderr go to temporary files (read them with {@link #read}). */
    static Process start(List<String> command, Map<String, String> environment, Path directory) {
        try {
            Path out = Files.createTempFile("headroom-it-", ".out");
            Path err = Files.createTempFile("headroom-it-", ".err");
            ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            OUTPUTS.put(process, new Path[] {out, err});
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    static String read(Process process, String which) {
        Path[] files = OUTPUTS.get(process);
        try {
            return Files.readString(which.equals("out") ? files[0] : files[1], StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void destroyTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : descendants) {
                child.onExit().get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    static void assertNoHang(ProcessResult result, String what) {
        assertFalse(result.timedOut(), what + " hung: " + result.describe());
    }
}
