package dev.headroom.core;

import dev.headroom.core.base.*;
import dev.headroom.core.precision.*;
import dev.headroom.core.hardware.*;
import dev.headroom.core.workload.*;
import dev.headroom.core.model.*;
import dev.headroom.core.engine.*;
import dev.headroom.core.memory.*;
import dev.headroom.core.perf.*;
import dev.headroom.core.cost.*;
import dev.headroom.core.catalog.*;
import dev.headroom.core.plan.*;


import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Test helper: the catalog's JSON files read straight from disk, independently of {@link Catalog}. */
public final class CatalogFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CatalogFiles() {}

    /** The catalog folder on the classpath (core's resources), else ../catalog next to the module. */
    public static Path dir(String folder) {
        URL url = CatalogFiles.class.getClassLoader().getResource("catalog/" + folder);
        try {
            if (url != null && "file".equals(url.getProtocol())) {
                return Path.of(url.toURI());
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path p = Path.of("..", "catalog", folder);
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("catalog folder " + folder + " found neither on the classpath nor at " + p.toAbsolutePath());
        }
        return p;
    }

    public static List<Path> files(String folder) {
        try (Stream<Path> s = Files.list(dir(folder))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String baseName(Path file) {
        String n = file.getFileName().toString();
        return n.substring(0, n.length() - ".json".length());
    }

    /** validation/architectures.json, copied onto the test classpath by the pom. */
    public static JsonNode architectures() {
        URL url = CatalogFiles.class.getClassLoader().getResource("validation/architectures.json");
        if (url == null) {
            throw new IllegalStateException("validation/architectures.json is not on the test classpath");
        }
        try {
            return JSON.readTree(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
