package dev.headroom.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Command line of the kernel: {@code [--startup FILE]... CONNECTION_FILE}. Without {@code --startup},
 * the environment variable {@code HEADROOM_STARTUP} may name the startup script.
 */
record KernelOptions(Path connectionFile, List<Path> startupScripts) {
    static final String STARTUP_ENV = "HEADROOM_STARTUP";
    static final String USAGE = "usage: java -jar headroom-kernel.jar [--startup FILE]... CONNECTION_FILE";

    KernelOptions {
        startupScripts = List.copyOf(startupScripts);
    }

    static KernelOptions parse(String[] args, Map<String, String> environment) {
        List<Path> startup = new ArrayList<>();
        Path connection = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--startup")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--startup needs a file\n" + USAGE);
                }
                startup.add(Path.of(args[++i]));
            } else if (arg.startsWith("--startup=")) {
                startup.add(Path.of(arg.substring("--startup=".length())));
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            } else if (connection == null) {
                connection = Path.of(arg);
            } else {
                throw new IllegalArgumentException("more than one connection file: '" + connection + "' and '" + arg + "'\n" + USAGE);
            }
        }
        if (connection == null) {
            throw new IllegalArgumentException("no connection file given\n" + USAGE);
        }
        String fromEnvironment = environment.get(STARTUP_ENV);
        if (startup.isEmpty() && fromEnvironment != null && !fromEnvironment.isBlank()) {
            startup.add(Path.of(fromEnvironment));
        }
        for (Path script : startup) {
            if (!Files.isReadable(script)) {
                throw new IllegalArgumentException("startup script '" + script + "' does not exist or is not readable");
            }
        }
        return new KernelOptions(connection, startup);
    }
}
