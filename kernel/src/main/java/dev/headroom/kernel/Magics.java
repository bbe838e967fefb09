package dev.headroom.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a cell into Java code and magic lines ({@code %time}, {@code %help}, {@code %classpath},
 * {@code %maven}, {@code %trace}), run in order. A magic is a line that starts with {@code %name}
 * followed by a space or the end of the line (Java has no statement that starts that way);
 * {@code %%time} on the first line times the whole cell.
 *
 * <p>Every code part keeps its place in the cell (earlier lines are left blank), so errors name the
 * cell's own line and column numbers.
 */
final class Magics {
    static final List<String> NAMES = List.of("time", "help", "classpath", "maven", "trace");
    private static final Pattern MAGIC_LINE = Pattern.compile("^(\\s*)(%%?)([A-Za-z][\\w-]*)(?:([ \\t]+)(.*?))?\\s*$");

    private Magics() {}

    sealed interface Part permits Code, Magic {}

    /** Java code; line {@code n} of the cell is line {@code n} of {@code text}. */
    record Code(String text) implements Part {}

    /**
     * A magic line.
     *
     * @param name     without the {@code %}
     * @param argument the rest of the line, stripped ("" when none)
     * @param code     for {@code %time}: the code to time, placed at its line and column in the cell
     * @param line     1-based line of the magic in the cell
     */
    record Magic(String name, String argument, Code code, int line) implements Part {}

    /** A line that looks like a magic but is not one (the message names the known ones). */
    static final class UnknownMagic extends IllegalArgumentException {
        UnknownMagic(String message) {
            super(message);
        }
    }

    static List<Part> parse(String cell) {
        String[] lines = cell.split("\n", -1);
        List<Part> parts = new ArrayList<>();
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length) {
            Matcher cellMagic = MAGIC_LINE.matcher(lines[first]);
            if (cellMagic.matches() && cellMagic.group(2).equals("%%")) {
                String name = cellMagic.group(3);
                if (!name.equals("time")) {
                    throw new UnknownMagic("unknown cell magic %%" + name + " — the only cell magic is %%time");
                }
                String rest = "\n".repeat(first + 1) + String.join("\n", List.of(lines).subList(first + 1, lines.length));
                parts.add(new Magic("time", "", new Code(rest), first + 1));
                return parts;
            }
        }
        int codeStart = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher magic = MAGIC_LINE.matcher(lines[i]);
            if (!magic.matches()) {
                continue;
            }
            String name = magic.group(3);
            if (magic.group(2).equals("%%")) {
                throw new UnknownMagic("%%" + name + " must be the first line of the cell");
            }
            if (!NAMES.contains(name)) {
                throw new UnknownMagic("unknown magic %" + name + " on line " + (i + 1) + " — known: %" + String.join(", %", NAMES));
            }
            addCode(parts, lines, codeStart, i);
            String argument = magic.group(5) == null ? "" : magic.group(5).strip();
            Code code = null;
            if (name.equals("time")) {
                int column = magic.group(1).length() + 1 + name.length() + (magic.group(4) == null ? 0 : magic.group(4).length());
                code = new Code("\n".repeat(i) + " ".repeat(column) + argument);
            }
            parts.add(new Magic(name, argument, code, i + 1));
            codeStart = i + 1;
        }
        addCode(parts, lines, codeStart, lines.length);
        return parts;
    }

    private static void addCode(List<Part> parts, String[] lines, int from, int to) {
        if (from >= to) {
            return;
        }
        String text = String.join("\n", List.of(lines).subList(from, to));
        if (!text.isBlank()) {
            parts.add(new Code("\n".repeat(from) + text));
        }
    }

    /** Whether the cell has any magic (then is_complete says "complete": JShell cannot judge it). */
    static boolean hasMagic(String cell) {
        for (String line : cell.split("\n", -1)) {
            if (MAGIC_LINE.matcher(line).matches()) {
                return true;
            }
        }
        return false;
    }
}
