package dev.headroom.dsl;

import dev.headroom.core.base.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import tech.tablesaw.plotly.components.Figure;

/**
 * Charts saved as self-contained HTML pages. The page itself (plotly.js embedded compressed, the chart drawn offline)
 * is made by the notebook kernel's renderer, found on the class path as a {@link Writer} service, so a saved chart is
 * drawn exactly as a notebook draws it and plotly.js is bundled in one place.
 */
public final class ChartPages {
    /** Makes one self-contained page for a figure (implemented by the kernel module). */
    public interface Writer {
        String page(Figure figure, String title);
    }

    private static final AtomicInteger SAVED = new AtomicInteger();
    private static volatile boolean drawnInline;
    private static volatile Writer writer;
    private static volatile boolean looked;

    private ChartPages() {}

    /** The notebook kernel says it draws charts itself: printing a chart then does not save it. */
    public static void drawnInline(boolean inline) {
        drawnInline = inline;
    }

    static boolean drawnInline() {
        return drawnInline;
    }

    static boolean available() {
        return writer() != null;
    }

    private static Writer writer() {
        if (!looked) {
            writer = ServiceLoader.load(Writer.class, ChartPages.class.getClassLoader()).findFirst().orElse(null);
            looked = true;
        }
        return writer;
    }

    static Path save(Figure figure, String file) {
        Args.name("Plots.save(figure, ...)", file);
        if (!file.toLowerCase(Locale.ROOT).endsWith(".html")) {
            throw new InvalidInputException("Plots.save(figure, \"" + file + "\"): name an .html file, e.g. \"chart.html\"");
        }
        return write(Args.notNull("Plots.save(...)", figure), Path.of(file).toAbsolutePath().normalize());
    }

    static Path saveToTemp(Chart chart) {
        String slug = chart.title().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        slug = slug.isEmpty() ? "chart" : slug.substring(0, Math.min(60, slug.length()));
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "headroom-charts");
        return write(chart, dir.resolve(slug + "-" + SAVED.incrementAndGet() + ".html"));
    }

    private static Path write(Figure figure, Path target) {
        Writer w = writer();
        if (w == null) {
            throw new InvalidInputException("saving a chart needs the Headroom kernel jar on the class path (it carries plotly.js): "
                    + "use the notebook kernel or kernel-setup/jshell.sh");
        }
        String title = figure instanceof Chart c ? c.title() : figure.getLayout() == null ? "chart" : figure.getLayout().getTitle();
        try {
            Path parent = target.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(target, w.page(figure, title), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException("cannot write the chart to " + target + ": " + e.getMessage());
        }
        return target;
    }
}
