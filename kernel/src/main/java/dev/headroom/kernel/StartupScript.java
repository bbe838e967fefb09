package dev.headroom.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A JShell startup script (imports and helpers) run before the first cell. */
record StartupScript(String name, String source) {
    static StartupScript read(Path file) {
        try {
            return new StartupScript(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the startup script " + file + ": " + e.getMessage(), e);
        }
    }
}
