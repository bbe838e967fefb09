package dev.headroom.core.base;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of model parameters, as people write it: {@code 7b}, {@code 1.5B}, {@code 500m}, {@code 70e9} or a whole
 * number. Suffixes are decimal (k = 10^3, m = 10^6, b = 10^9, t = 10^12), as model cards use them; anything else is
 * refused with the forms that are accepted.
 */
public record ParamCount(long value) implements Comparable<ParamCount> {
    private static final Pattern FORMAT = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?(?:e[0-9]+)?)\\s*([kmbt]?)\\s*",
            Pattern.CASE_INSENSITIVE);
    private static final String FORMS = "a count such as 7b, 1.5B, 500m, 70e9 or 7000000000 (k, m, b, t = thousand, million, billion, trillion)";

    public ParamCount {
        if (value < 0) {
            throw InvalidInputException.field("parameter count", value, "must not be negative");
        }
    }

    public static ParamCount of(long value) {
        return new ParamCount(value);
    }

    /** Parses {@code text}; errors name {@code field} (the option or argument the user typed it into). */
    public static ParamCount parse(String text, String field) {
        if (text == null) {
            throw InvalidInputException.missing(field, "give " + FORMS);
        }
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw InvalidInputException.field(field, "'" + text + "'", "expected " + FORMS);
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1_000L;
            case "m" -> 1_000_000L;
            case "b" -> 1_000_000_000L;
            case "t" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            BigDecimal count = new BigDecimal(m.group(1).toLowerCase(Locale.ROOT)).multiply(BigDecimal.valueOf(unit));
            return new ParamCount(count.setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException | NumberFormatException tooLarge) {
            throw InvalidInputException.field(field, "'" + text + "'", "must be below 9.2e18");
        }
    }

    @Override
    public int compareTo(ParamCount o) {
        return Long.compare(value, o.value);
    }

    /** "7.62B", "494M", "1.03T": three significant digits with the decimal suffix. */
    @Override
    public String toString() {
        String[] suffixes = {"", "K", "M", "B", "T"};
        double v = value;
        int i = 0;
        while (v >= 1000 && i < suffixes.length - 1) {
            v /= 1000;
            i++;
        }
        if (i == 0) {
            return Long.toString(value);
        }
        String digits = v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : String.format(Locale.ROOT, "%.2f", v);
        if (digits.contains(".")) {
            digits = digits.replaceAll("0+$", "").replaceAll("\\.$", ""); // 7.50 -> 7.5, 7.00 -> 7
        }
        return digits + suffixes[i];
    }
}
