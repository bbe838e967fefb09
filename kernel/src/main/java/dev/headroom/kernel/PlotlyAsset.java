package dev.headroom.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The offline plotly.js shipped inside the kernel jar (from the plotly.js-dist webjar).
 *
 * <p>Run {@code java -cp headroom-kernel.jar dev.headroom.kernel.PlotlyAsset DIR} to write
 * {@code DIR/plotly-<version>.js}, the file exported write-ups reference when the kernel runs with
 * {@code HEADROOM_PLOTLY_SRC=plotly-<version>.js}.
 */
public final class PlotlyAsset {
    /** The plotly.js version in the jar (from the build's {@code plotly.version}). */
    public static final String VERSION = buildProperty("plotly.version");
    /** The file name {@link #writeTo(Path)} writes: {@code plotly-<version>.js}. */
    public static final String FILE_NAME = "plotly-" + VERSION + ".js";

    private static final String RESOURCE = "META-INF/resources/webjars/plotly.js-dist/" + VERSION + "/plotly.js";

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
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println("usage: java -cp headroom-kernel.jar dev.headroom.kernel.PlotlyAsset DIR");
            System.err.println("writes DIR/" + FILE_NAME + " (plotly.js " + VERSION + ", offline)");
            System.exit(2);
        }
        System.out.println(writeTo(Path.of(args[0])));
    }
}
