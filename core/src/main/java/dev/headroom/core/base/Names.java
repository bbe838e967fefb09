package dev.headroom.core.base;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Orders known names by closeness to a mistyped one, so error messages lead with the likely intent. */
public final class Names {
    private Names() {}

    public static List<String> nearestFirst(String given, Iterable<String> known) {
        String g = given.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>();
        known.forEach(names::add);
        names.sort(Comparator.<String>comparingInt(n -> distance(g, n.toLowerCase(Locale.ROOT)))
                .thenComparing(Comparator.naturalOrder()));
        return names;
    }

    /** Edit distance, with a bonus for names that contain the typed text (h100 -> h100-sxm). */
    public static int distance(String a, String b) {
        if (b.contains(a)) { // the known name extends what was typed: ahead of every misspelling
            return 0;
        }
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
