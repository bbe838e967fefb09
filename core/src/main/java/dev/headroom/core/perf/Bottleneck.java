package dev.headroom.core.perf;

/** What limits a deployment's speed: a term of the step, admission to the engine, or arrivals beyond capacity. */
public enum Bottleneck {
    MEMORY_BANDWIDTH("memory bandwidth"),
    COMPUTE("compute"),
    COMMUNICATION("communication"),
    KV_CAPACITY("KV capacity"),
    ENGINE_MAX_SEQUENCES("engine max sequences"),
    STEP_TOKENS("engine tokens per step"),
    OVERLOADED("overloaded");

    private final String words;

    Bottleneck(String words) {
        this.words = words;
    }

    @Override
    public String toString() {
        return words;
    }
}
