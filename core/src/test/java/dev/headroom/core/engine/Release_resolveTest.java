package dev.headroom.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which modelled release governs a version the user names: the newest one not newer than it. */
class Release_resolveTest {
    private static final Release V06 = new Release("0.6.4", "a");
    private static final Release V09 = new Release("0.9.0", "b");
    private static final Release V010 = new Release("0.10.0", "c");
    private static final List<Release> KNOWN = List.of(V010, V06, V09);

    @Test
    void should_compare_versions_numerically_part_by_part() {
        assertTrue(Release.compareVersions("0.10.0", "0.9.2") > 0, "10 > 9, not '1' < '9'");
        assertTrue(Release.compareVersions("0.9.2", "0.10.0") < 0);
        assertEquals(0, Release.compareVersions("v0.6.4", "0.6.4"), "a leading v is ignored");
        assertEquals(0, Release.compareVersions("0.6", "0.6.0"), "missing parts are 0");
        assertEquals(0, Release.compareVersions("0.6.4.post1", "0.6.4"), "a suffix part ends the version");
        assertEquals(0, Release.compareVersions("0.10rc1", "0.10"), "digits before a suffix count");
        assertTrue(Release.compareVersions("b4000", "b3999") > 0, "llama.cpp builds");
        assertTrue(Release.compareVersions("1.0", "0.99.99") > 0);
        assertTrue(Release.compareVersions("0.6.5", "0.6.4") > 0);
        assertTrue(Release.compareVersions("0.6.4", "0.6.5") < 0);
        assertEquals(0, Release.compareVersions(" ~0.7 ", "0.7.0"));
    }

    @Test
    void should_resolve_to_the_newest_release_not_newer_than_the_one_asked() {
        assertEquals(V010, Release.resolve("vllm", null, KNOWN), "no version: the newest");
        assertEquals(V010, Release.resolve("vllm", " ", KNOWN));
        assertEquals(V010, Release.resolve("vllm", "latest", KNOWN));
        assertEquals(V06, Release.resolve("vllm", "0.6.4", KNOWN), "exactly a modelled release");
        assertEquals(V06, Release.resolve("vllm", "0.8.5", KNOWN), "between two: the older one's rules");
        assertEquals(V09, Release.resolve("vllm", "0.9.0", KNOWN));
        assertEquals(V09, Release.resolve("vllm", "0.9.9", KNOWN));
        assertEquals(V010, Release.resolve("vllm", "0.10.0", KNOWN));
        assertEquals(V010, Release.resolve("vllm", "1.2", KNOWN), "newer than all: the newest");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Release.resolve("vllm", "0.5.0", KNOWN));
        assertTrue(e.getMessage().contains("vllm version") && e.getMessage().contains("0.5.0"), e.getMessage());
        assertTrue(e.getMessage().contains("modelled versions start at 0.6.4 — known: 0.6.4, 0.9.0, 0.10.0"), e.getMessage());
    }

    @Test
    void should_know_each_engines_modelled_releases_in_order() {
        for (List<Release> releases : List.of(Vllm.RELEASES, Sglang.RELEASES, TensorRtLlm.RELEASES, LlamaCpp.RELEASES, Tgi.RELEASES,
                Ollama.RELEASES)) {
            assertTrue(releases.size() >= 2, releases.toString());
            for (Release r : releases) {
                assertEquals(r, Release.resolve("engine", r.version(), releases), r.version());
                assertTrue(!r.source().isBlank(), r.version());
            }
        }
        assertEquals("0.2.5", Vllm.RELEASES.get(0).version());
    }
}
