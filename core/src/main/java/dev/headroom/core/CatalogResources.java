package dev.headroom.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lists and reads the JSON files of one catalog folder from the classpath, whether the catalog sits in
 * a directory (tests, IDE) or inside a jar (kernel, CLI). A new entry is a new file: no index to update.
 */
final class CatalogResources {
    private CatalogResources() {}

    record Entry(String file, String text) {}

    static List<Entry> read(String folder) {
        URL url = CatalogResources.class.getClassLoader().getResource("catalog/" + folder);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return list(fs.provider().getPath(uri));
            }
            return list(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the catalog folder " + folder, e));
        }
    }

    private static List<Entry> list(Path dir) throws IOException {
        List<Entry> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(p)) {
                    out.add(new Entry("catalog/" + dir.getFileName() + "/" + p.getFileName(),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }
}
