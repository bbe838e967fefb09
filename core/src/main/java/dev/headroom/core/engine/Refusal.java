package dev.headroom.core.engine;

import dev.headroom.core.base.Bytes;

/**
 * Why an engine would refuse to start, in its own words, with the knob that fixes it.
 *
 * @param reason         what the engine checks and finds short (its error message, paraphrased)
 * @param knob           the engine setting that fixes it, by the engine's name
 * @param fix            what to do with the knob (or instead of it)
 * @param shortfallBytes how much memory the check lacks on the binding GPU
 */
public record Refusal(String reason, String knob, String fix, long shortfallBytes) {
    public Refusal {
        if (shortfallBytes < 0) {
            throw new IllegalArgumentException("a shortfall is never negative: " + shortfallBytes);
        }
    }

    /** One line: the reason, what is missing and the knob. */
    public String describe() {
        return reason + (shortfallBytes > 0 ? " (" + Bytes.of(shortfallBytes) + " short)" : "") + "; " + fix + " (" + knob + ")";
    }
}
