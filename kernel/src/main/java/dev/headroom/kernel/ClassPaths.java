package dev.headroom.kernel;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The class path JShell's compiler must see: the kernel JVM's own (its jar, or the test class path). */
final class ClassPaths {
    private ClassPaths() {}

    static List<String> ofThisJvm() {
        Set<String> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank() && Files.exists(Path.of(entry))) {
                entries.add(Path.of(entry).toAbsolutePath().toString());
            }
        }
        CodeSource source = ClassPaths.class.getProtectionDomain().getCodeSource();
        if (source != null && source.getLocation() != null) {
            try {
                entries.add(Path.of(source.getLocation().toURI()).toAbsolutePath().toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                // Not a file location (custom class loader): java.class.path is all there is.
            }
        }
        return List.copyOf(entries);
    }
}
