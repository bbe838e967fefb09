package dev.headroom.core.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The issue's "must show": every model named in validation/ resolves from the catalog — the curated files and the
 * measurements found since (validation/found/). A row may annotate its model in parentheses ("Llama-3-8B (llama
 * 8B)"); the name is what precedes the note. The few names the catalog cannot hold yet are listed with the reason,
 * and the list is checked too, so adding one of them to the catalog means taking it off the list.
 */
class Catalog_validationModelsTest {

    /** Named in validation/ but not in the catalog: no config.json for them was read, or their family is not modelled. */
    static final Map<String, String> NOT_IN_CATALOG = Map.ofEntries(
            Map.entry("01-ai/Yi-6B-Chat-4bits", "AWQ checkpoint; its quantization_config was not read"),
            Map.entry("CohereForAI/c4ai-command-r7b-12-2024", "Command R7B (cohere2): no config.json read"),
            Map.entry("DeepSeek-R1-0528-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("DeepSeek-R1-0528-NVFP4-v2", "NVIDIA NVFP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("DeepSeek-V3/R1 671B", "names two models at once"),
            Map.entry("Hermes-3-Llama-3.1-405B-FP8", "FP8 fine-tune; its quantization_config was not read"),
            Map.entry("Llama-2-7B-class", "not one model"),
            Map.entry("Llama-3.1-405B-FP8", "FP8 checkpoint; which repository is not stated"),
            Map.entry("Llama-3.1-405B-Instruct-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-3.1-8B-Instruct-FP8", "NVIDIA FP8 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-3.3-70B-Instruct-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-3.3-70B-Instruct-FP8", "NVIDIA FP8 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-4-Maverick-17B-128E-Instruct-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-4-Maverick-17B-128E-Instruct-FP8", "FP8 checkpoint; its quantization_config was not read"),
            Map.entry("Llama-4-Maverick-17B-128E-Instruct-NVFP4", "NVIDIA NVFP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("Llama-4-Scout-17B-16E-Instruct-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("GPT 1T", "a Megatron paper's model shape (no config.json); training reads it from validation/training-models.json"),
            Map.entry("GPT 22B", "a Megatron paper's model shape (no config.json); training reads it from validation/training-models.json"),
            Map.entry("GPT-3 175B", "GPT-3: no config.json published; training reads its shape from validation/training-models.json"),
            Map.entry("GPT3-175B", "GPT-3: no config.json published; training reads its shape from validation/training-models.json"),
            Map.entry("MT-NLG 530B", "MT-NLG: no config.json published; training reads its shape from validation/training-models.json"),
            Map.entry("Llama-3.x-70B", "names a family of releases, not one model"),
            Map.entry("Llama-3.x-8B", "names a family of releases, not one model"),
            Map.entry("Qwen/Qwen2.5-VL-72B-Instruct", "vision-language model: the vision tower is not modelled"),
            Map.entry("t5-large", "encoder-decoder (T5): not modelled"),
            Map.entry("MPT-13b", "MPT is not a catalog family"),
            Map.entry("MPT-30b", "MPT is not a catalog family"),
            Map.entry("MPT-3b", "MPT is not a catalog family"),
            Map.entry("MPT-70b", "MPT is not a catalog family"),
            Map.entry("MPT-7b", "MPT is not a catalog family"),
            Map.entry("Meta-Llama-3.1-70B-Instruct-FP8", "NVIDIA FP8 checkpoint; which repository is not stated"),
            Map.entry("Meta-Llama-3.1-8B-FP8", "FP8 checkpoint; its quantization_config was not read"),
            Map.entry("Mistral-7B-v0.2", "v0.2 drops v0.1's sliding window: no config.json read"),
            Map.entry("Qwen-1.8B", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-1.8B-Chat-Int4", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-14B", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-14B-Chat-Int4", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-72B-Chat", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-72B-Chat-Int4", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-7B", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen-7B-Chat-Int4", "Qwen 1 (model_type qwen) is not modelled"),
            Map.entry("Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8", "FP8 checkpoint; its quantization_config was not read"),
            Map.entry("Qwen1.5-7B", "Qwen1.5-7B: no config.json read"),
            Map.entry("Qwen3-235B-A22B-FP4", "NVIDIA FP4 checkpoint (not the NVFP4 one in the catalog); not read"),
            Map.entry("Qwen3-30B-A3B-FP4", "NVIDIA FP4 checkpoint; its hf_quant_config was not read"),
            Map.entry("T0_3B", "encoder-decoder (T5): not modelled"),
            Map.entry("amd/Llama-3.1-405B-Instruct-FP8-KV", "AMD Quark FP8 checkpoint; its quantization_config was not read"),
            Map.entry("amd/Llama-3.1-70B-Instruct-FP8-KV", "AMD Quark FP8 checkpoint; its quantization_config was not read"),
            Map.entry("bloomz-7b1", "BLOOM is not a catalog family"),
            Map.entry("deepseek-ai/DeepSeek-V3.2-Exp", "its config.json was not read (DeepSeek-V3.2 is in the catalog)"),
            Map.entry("deepseek-ai/DeepSeek-V3/R1", "names two models at once"),
            Map.entry("deepseek-ai/DeepSeek-V4-Pro", "DeepSeek-V4's compressed attention is not modelled"),
            Map.entry("ibm-granite/granite-4.0-h-micro", "Granite 4.0 hybrid: no config.json read"),
            Map.entry("internlm-20b", "InternLM 1: no config.json read"),
            Map.entry("llama-7B", "LLaMA 1: no config.json read"),
            Map.entry("meta-llama/Llama-3.2-11B-Vision", "Llama 3.2 Vision's cross-attention layers are not modelled"),
            Map.entry("moonshotai/Kimi-Linear-48B-A3B-Instruct", "Kimi's KDA linear attention is not modelled"),
            Map.entry("mt0-xxl", "encoder-decoder (mT5): not modelled"),
            Map.entry("t5-3b", "encoder-decoder (T5): not modelled"),
            Map.entry("unnamed 80-layer GQA-8 model", "the source does not name the model"),
            Map.entry("unsloth/qwen2.5-0.5b-instruct-unsloth-bnb-4bit", "bitsandbytes checkpoint; its quantization_config was not read"));

    static Stream<String> modelsNamedInValidation() {
        TreeSet<String> names = new TreeSet<>();
        for (Path csv : csvFiles()) {
            names.addAll(modelColumn(csv));
        }
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("modelsNamedInValidation")
    void should_resolve_every_model_validation_names(String name) {
        if (NOT_IN_CATALOG.containsKey(name)) {
            return; // checked by the next test
        }
        assertTrue(resolves(name), name + " (named in validation/) does not resolve from the catalog");
    }

    @Test
    void should_keep_the_list_of_missing_models_honest() {
        List<String> named = modelsNamedInValidation().toList();
        for (String name : NOT_IN_CATALOG.keySet()) {
            assertTrue(named.contains(name), name + " is listed as missing but no validation file names it");
            assertFalse(resolves(name), name + " resolves now: take it off NOT_IN_CATALOG");
        }
    }

    @Test
    void should_read_both_the_curated_and_the_found_measurements() {
        List<String> files = csvFiles().stream().map(p -> p.getParent().getFileName() + "/" + p.getFileName()).toList();
        assertTrue(files.contains("validation/memory.csv") && files.contains("found/memory.csv"), files.toString());
    }

    private static boolean resolves(String name) {
        try {
            Catalog.model(name);
            return true;
        } catch (InvalidInputException e) {
            return false;
        }
    }

    /** validation/*.csv and validation/found/*.csv, copied onto the test classpath by the pom. */
    private static List<Path> csvFiles() {
        URL url = Catalog_validationModelsTest.class.getClassLoader().getResource("validation");
        if (url == null) {
            throw new IllegalStateException("validation/ is not on the test classpath");
        }
        try {
            Path dir = Path.of(url.toURI());
            List<Path> out = new ArrayList<>();
            for (Path folder : List.of(dir, dir.resolve("found"))) {
                try (Stream<Path> s = Files.list(folder)) {
                    s.filter(p -> p.toString().endsWith(".csv")).sorted().forEach(out::add);
                }
            }
            return out;
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot list validation/", e);
        }
    }

    /** The model column of one file, each name without its parenthesised note. */
    private static List<String> modelColumn(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            List<String> header = fields(lines.get(0));
            int column = header.indexOf("model");
            if (column < 0) {
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                List<String> row = fields(line);
                if (line.isBlank() || row.size() <= column || row.get(column).isBlank()) {
                    continue;
                }
                // A row may name several models, one per figure, separated by '|' (as its values are).
                for (String one : row.get(column).split("\\|")) {
                    String name = one.trim();
                    int note = name.indexOf(" (");
                    out.add(note > 0 ? name.substring(0, note).trim() : name);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One CSV line's fields: commas inside double quotes do not split. */
    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }
}
