package dev.headroom.core.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Build step: writes every catalog file into one resource ({@link CatalogBundle#RESOURCE}) with the names each
 * entry answers to (id, Hugging Face repo with and without its organisation, aliases), so the command line
 * reads one resource and parses only the entries it needs. Run by the core module's build:
 * {@code CatalogBundler <catalog dir> <output file>}.
 */
public final class CatalogBundler {
    private CatalogBundler() {}

    public static void main(String[] args) throws IOException {
        Path catalog = Path.of(args[0]);
        Path output = Path.of(args[1]);
        StringBuilder b = new StringBuilder(CatalogBundle.MAGIC).append('\n');
        int entries = 0;
        for (String kind : List.of("models", "gpus", "prices", "api-prices", "purchase-prices")) {
            Path dir = catalog.resolve(kind);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path p : files) {
                String text = Files.readString(p, StandardCharsets.UTF_8);
                String file = "catalog/" + kind + "/" + p.getFileName();
                b.append('@').append(kind).append('\t').append(file).append('\t').append(text.length());
                for (String n : names(kind, text, file)) {
                    b.append('\t').append(n);
                }
                b.append('\n').append(text).append('\n');
                entries++;
            }
        }
        Files.createDirectories(output.getParent());
        Files.writeString(output, b.toString(), StandardCharsets.UTF_8);
        System.out.println("catalog bundle: " + entries + " entries -> " + output);
    }

    /** The lowercase names an entry answers to: its id, its Hugging Face repo (with and without the organisation), its aliases. */
    static List<String> names(String kind, String text, String file) {
        if (!kind.equals("models") && !kind.equals("gpus")) {
            return List.of();
        }
        Json j = Json.parse(text, file);
        Set<String> names = new LinkedHashSet<>();
        names.add(j.text("id").toLowerCase(Locale.ROOT));
        List<String> spelled = new ArrayList<>(j.texts("aliases"));
        if (j.has("hf_repo")) {
            spelled.add(0, j.text("hf_repo"));
        }
        for (String s : spelled) {
            String n = s.toLowerCase(Locale.ROOT).trim();
            if (n.isEmpty() || n.contains("\t") || n.contains("\n")) {
                continue;
            }
            names.add(n);
            if (n.contains("/")) {
                names.add(n.substring(n.lastIndexOf('/') + 1)); // "Llama-3.1-8B" as sources write it
            }
        }
        return List.copyOf(names);
    }
}
