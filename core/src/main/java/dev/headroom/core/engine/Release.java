package dev.headroom.core.engine;

import dev.headroom.core.base.InvalidInputException;
import java.util.Comparator;
import java.util.List;

/**
 * An engine release whose memory and scheduling semantics Headroom models, with where they were read.
 *
 * @param version the first version these semantics apply to ("0.6", "0.10", "b4000")
 * @param source  the engine source or documentation the rules were read from, at that version
 */
public record Release(String version, String source) {

    /**
     * The release that governs {@code asked}: the newest known release not newer than it. No version asks for
     * the newest. A version older than every modelled one is refused, naming those that are.
     */
    public static Release resolve(String engine, String asked, List<Release> known) {
        List<Release> sorted = known.stream().sorted(Comparator.comparing(Release::version, Release::compareVersions)).toList();
        if (asked == null || asked.isBlank() || asked.equals("latest")) {
            return sorted.get(sorted.size() - 1);
        }
        Release match = null;
        for (Release r : sorted) {
            if (compareVersions(r.version, asked) <= 0) {
                match = r;
            }
        }
        if (match == null) {
            throw InvalidInputException.field(engine + " version", asked, "modelled versions start at "
                    + sorted.get(0).version() + " — known: " + String.join(", ", sorted.stream().map(Release::version).toList()));
        }
        return match;
    }

    /** Compares dotted versions numerically, ignoring a leading 'v' or 'b' and any suffix after a non-digit. */
    public static int compareVersions(String a, String b) {
        long[] x = parts(a);
        long[] y = parts(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length ? x[i] : 0;
            long q = i < y.length ? y[i] : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return 0;
    }

    private static long[] parts(String v) {
        String s = v.trim().toLowerCase(java.util.Locale.ROOT).replaceFirst("^[~vb]+", "");
        String[] pieces = s.split("\\.");
        long[] out = new long[pieces.length];
        int n = 0;
        for (String p : pieces) {
            String digits = p.replaceFirst("^(\\d+).*$", "$1");
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
                break;
            }
            out[n++] = Long.parseLong(digits.length() > 15 ? digits.substring(0, 15) : digits);
            if (!digits.equals(p)) {
                break;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
