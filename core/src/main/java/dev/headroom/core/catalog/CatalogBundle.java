package dev.headroom.core.catalog;

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
 * The catalog's files as one resource, read once: {@code catalog/bundle.txt}, written at build time by
 * {@link CatalogBundler} with each entry's text and the names it answers to, so a lookup parses one entry,
 * not three hundred. When the bundle is absent (an IDE running from sources), the folders are listed instead.
 */
final class CatalogBundle {
    static final String RESOURCE = "catalog/bundle.txt";
    static final String MAGIC = "HEADROOM-CATALOG 1";

    /** One catalog file: its folder ("models"), its path, its names (lowercase) and its JSON text. */
    record Entry(String kind, String file, List<String> names, String text) {}

    private CatalogBundle() {}

    static List<Entry> load() {
        URL bundle = CatalogBundle.class.getClassLoader().getResource(RESOURCE);
        if (bundle != null) {
            try (InputStream in = bundle.openStream()) {
                return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the catalog bundle " + RESOURCE, e);
            }
        }
        List<Entry> out = new ArrayList<>();
        for (String kind : List.of("models", "gpus", "prices", "api-prices", "purchase-prices")) {
            for (String[] fileAndText : listFolder(kind)) {
                out.add(new Entry(kind, fileAndText[0], CatalogBundler.names(kind, fileAndText[1], fileAndText[0]), fileAndText[1]));
            }
        }
        return out;
    }

    static List<Entry> parse(String bundle) {
        if (!bundle.startsWith(MAGIC + "\n")) {
            throw new IllegalStateException("the catalog bundle does not start with '" + MAGIC + "'");
        }
        List<Entry> out = new ArrayList<>();
        int pos = MAGIC.length() + 1;
        while (pos < bundle.length()) {
            int eol = bundle.indexOf('\n', pos);
            String[] header = bundle.substring(pos + 1, eol).split("\t");
            int length = Integer.parseInt(header[2]);
            List<String> names = List.of(header).subList(3, header.length);
            out.add(new Entry(header[0], header[1], names, bundle.substring(eol + 1, eol + 1 + length)));
            pos = eol + 1 + length + 1;
        }
        return out;
    }

    /** {file, text} of every JSON file in one catalog folder on the classpath (directory or jar). */
    private static List<String[]> listFolder(String folder) {
        URL url = CatalogBundle.class.getClassLoader().getResource("catalog/" + folder);
        if (url == null) {
            return List.of();
        }
        try {
            URI uri = url.toURI();
            Path dir;
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                dir = fs.provider().getPath(uri);
            } else {
                dir = Path.of(uri);
            }
            List<String[]> out = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    out.add(new String[] {"catalog/" + folder + "/" + p.getFileName(), Files.readString(p)});
                }
            }
            return out;
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the catalog folder " + folder, e));
        }
    }
}
