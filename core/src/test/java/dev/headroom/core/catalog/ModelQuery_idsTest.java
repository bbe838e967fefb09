package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.base.ParamCount;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.model.ModelProfile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Finding catalog models by family and size, and GPUs by vendor: what `catalog models|gpus` and the DSL list. */
class ModelQuery_idsTest {

    @Test
    void should_keep_one_family_above_a_size() {
        List<ModelProfile> found = ModelQuery.all().family("Qwen").minParams(ParamCount.parse("30b", "x")).profiles();

        assertFalse(found.isEmpty());
        found.forEach(p -> assertEquals("qwen", p.spec().family(), p.id()));
        found.forEach(p -> assertTrue(p.params() >= 30_000_000_000L, p.id()));
        List<String> ids = found.stream().map(ModelProfile::id).toList();
        assertTrue(ids.contains("qwen3-32b") && !ids.contains("qwen3-8b"), ids.toString());
    }

    @Test
    void should_bound_the_size_on_both_sides() {
        List<ModelProfile> found = ModelQuery.all().minParams("1b").maxParams("2b").profiles();

        assertFalse(found.isEmpty());
        found.forEach(p -> assertTrue(p.params() >= 1e9 && p.params() <= 2e9, p.id() + " " + p.params()));
    }

    @Test
    void should_list_the_known_families_for_an_unknown_one() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelQuery.all().family("qwn"));

        assertTrue(e.getMessage().startsWith("unknown family 'qwn' — known: qwen"), e.getMessage());
    }

    @Test
    void should_refuse_a_range_no_model_can_match() {
        ModelQuery q = ModelQuery.all().minParams("70b").maxParams("7b");
        InvalidInputException e = assertThrows(InvalidInputException.class, q::profiles);
        assertTrue(e.getMessage().contains("70B") && e.getMessage().contains("7B"), e.getMessage());
    }

    @Test
    void should_keep_one_vendor_and_list_the_vendors_for_an_unknown_one() {
        List<Gpu> amd = GpuQuery.all().vendor("AMD").gpus();

        assertTrue(amd.stream().anyMatch(g -> g.id().equals("mi300x")));
        amd.forEach(g -> assertEquals("amd", g.vendor(), g.id()));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GpuQuery.all().vendor("nvdia"));
        assertTrue(e.getMessage().startsWith("unknown vendor 'nvdia' — known: nvidia"), e.getMessage());
    }
}
