package dev.headroom.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Properties;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The offline plotly.js shipped inside the kernel jar (from the plotly.js-dist webjar), as is and
 * gzipped at build time ({@code --gzip}, run by the kernel module's build): charts carry the gzipped
 * copy, which browsers inflate with {@code DecompressionStream}.
 *
 * <p>Run {@code java -cp headroom-kernel.jar dev.headroom.kernel.PlotlyAsset DIR} to write
 * {@code DIR/plotly-<version>.js}, the file pages reference when the kernel runs with
 * {@code HEADROOM_PLOTLY_SRC=plotly-<version>.js} (smaller pages that are no longer self-contained).
 */
public final class PlotlyAsset {
    /** The plotly.js version in the jar (from the build's {@code plotly.version}). */
    public static final String VERSION = buildProperty("plotly.version");
    /** The file name {@link #writeTo(Path)} writes: {@code plotly-<version>.js}. */
    public static final String FILE_NAME = "plotly-" + VERSION + ".js";

    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + VERSION + "/plotly.js";
    /** The gzipped library the build writes next to this class. */
    static final String GZIP_RESOURCE = "dev/headroom/kernel/plotly-" + VERSION + ".js.gz";

    private PlotlyAsset() {}

    /** Writes the library to {@code dir/}{@link #FILE_NAME} (creating {@code dir}) and returns that path. */
    public static Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(FILE_NAME);
        try (InputStream in = open()) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /** The library's source text (about 11 MB). */
    static String source() {
        try (InputStream in = open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE + " from the kernel jar", e);
        }
    }

    /**
     * The library gzipped (level 9) and base64-encoded, about 3.2 MB: from the copy the build made, or
     * compressed now when running from classes that did not go through the build (an IDE).
     */
    static String gzippedBase64() {
        try (InputStream in = PlotlyAsset.class.getClassLoader().getResourceAsStream(GZIP_RESOURCE)) {
            byte[] gzipped = in != null ? in.readAllBytes() : gzip(source().getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(gzipped);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + GZIP_RESOURCE + " from the kernel jar", e);
        }
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 4);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            gzip.write(bytes);
        }
        return out.toByteArray();
    }

    private static InputStream open() throws IOException {
        InputStream in = PlotlyAsset.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IOException("plotly.js " + VERSION + " is not on the class path (expected resource " + RESOURCE
                    + " from org.webjars.npm:plotly.js-dist)");
        }
        return in;
    }

    static String buildProperty(String name) {
        Properties properties = new Properties();
        try (InputStream in = PlotlyAsset.class.getResourceAsStream("kernel.properties")) {
            if (in == null) {
                throw new IllegalStateException("dev/headroom/kernel/kernel.properties is missing from the kernel jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("kernel.properties has no value for '" + name + "'");
        }
        return value;
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 2 && args[0].equals("--gzip")) {
            // Build step: CLASSES_DIR/dev/headroom/kernel/plotly-<version>.js.gz
            Path target = Path.of(args[1]).resolve(GZIP_RESOURCE);
            Files.createDirectories(target.getParent());
            byte[] raw;
            try (InputStream in = open()) {
                raw = in.readAllBytes();
            }
            Files.write(target, gzip(raw));
            return;
        }
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -cp headroom-kernel.jar dev.headroom.kernel.PlotlyAsset DIR");
            System.err.println("writes DIR/" + FILE_NAME + " (plotly.js " + VERSION + ", offline)");
            System.exit(2);
        }
        System.out.println(writeTo(Path.of(args[0])));
    }
}
