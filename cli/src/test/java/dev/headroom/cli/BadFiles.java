package dev.headroom.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test helper: the bad files the bad-input tables name. Small ones are resources ({@code {files}}); those too large,
 * too deep or too binary to keep in the repository are written once per run ({@code {made}}).
 */
final class BadFiles {
    private BadFiles() {}

    /** A table's command line as arguments: split on spaces, '' is an empty argument, the folders filled in. */
    static String[] args(String commandLine, Path made) {
        return java.util.Arrays.stream(commandLine.trim().split("\\s+"))
                .map(a -> a.equals("''") ? "" : a.replace("{files}", resources().toString())
                        .replace("{made}", made == null ? "{made}" : made.toString()))
                .toArray(String[]::new);
    }

    static Path resources() {
        try {
            return Path.of(BadFiles.class.getResource("/bad-inputs/files").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the generated fixtures under {@code dir} and returns it. */
    static Path make(Path dir) {
        try {
            Files.writeString(dir.resolve("deep-array.json"), "[".repeat(100_000) + "]".repeat(100_000));
            Files.writeString(dir.resolve("deep-object.json"), "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000));
            Files.writeString(dir.resolve("huge.json"), "{\"x\": \"" + "a".repeat(17 << 20) + "\"}");
            byte[] binary = new byte[256];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) i;
            }
            Files.write(dir.resolve("binary.json"), binary);
            validationFolders(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies of the validation folder, each broken one way. */
    private static void validationFolders(Path dir) throws IOException {
        Path real = Path.of("..", "validation");
        Files.createDirectories(dir.resolve("validation-empty-folder"));
        Files.writeString(dir.resolve("validation-is-a-file.csv"), "id\n");
        folder(dir, "validation-memory-empty", real).resolve("memory.csv").toFile().delete();
        Files.writeString(dir.resolve("validation-memory-empty").resolve("memory.csv"), "");
        Files.write(folder(dir, "validation-memory-binary", real).resolve("memory.csv"), new byte[] {'i', 'd', '\n', (byte) 0xff, (byte) 0xfe, 0});
        Files.writeString(folder(dir, "validation-memory-unclosed-quote", real).resolve("memory.csv"),
                Files.readString(real.resolve("memory.csv")) + "\"M99,cut off here");
        Files.writeString(folder(dir, "validation-memory-no-columns", real).resolve("memory.csv"), "foo,bar\n1,2\n");
        Files.delete(folder(dir, "validation-no-architectures", real).resolve("architectures.json"));
        Path arch = folder(dir, "validation-architectures-truncated", real).resolve("architectures.json");
        String archText = Files.readString(arch);
        Files.writeString(arch, archText.substring(0, archText.length() / 2));
        Files.delete(folder(dir, "validation-no-throughput", real).resolve("throughput.csv"));
        Path throughput = folder(dir, "validation-throughput-truncated", real).resolve("throughput.csv");
        Files.writeString(throughput, Files.readString(throughput) + "\"T99,cut off");
    }

    private static Path folder(Path dir, String name, Path real) throws IOException {
        Path out = Files.createDirectories(dir.resolve(name));
        for (String f : new String[] {"architectures.json", "memory.csv", "throughput.csv"}) {
            Files.copy(real.resolve(f), out.resolve(f));
        }
        return out;
    }
}
