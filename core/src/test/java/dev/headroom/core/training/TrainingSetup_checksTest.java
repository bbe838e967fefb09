package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** STYLE.md section 4: a setup that cannot exist says which field, which value and what is valid. */
class TrainingSetup_checksTest {

    @Test
    void should_split_gpus_into_tp_pp_cp_and_data_parallel_replicas() {
        TrainingSetup s = TrainingSetup.defaults().withParallel(64, 4, 2, 2, 1).withBatch(2, 8192, 4);

        assertEquals(4, s.dp());
        assertEquals(8, s.shardGroup(), "ZeRO and FSDP shard over dp x cp");
        assertEquals(2L * 8192 * 4 * 4, s.tokensPerStep());
    }

    @Test
    void should_refuse_gpus_that_do_not_split_into_tp_pp_cp() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TrainingSetup.defaults().withParallel(6, 4, 1, 1, 1));

        assertTrue(e.getMessage().contains("gpus = 6") && e.getMessage().contains("tp x pp x cp = 4"), e.getMessage());
    }

    @Test
    void should_refuse_parameter_offload_without_sharded_parameters() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingSetup.defaults().withSharding(Sharding.ZERO_2).withOffload(Offload.OPTIMIZER_AND_PARAMS));

        assertTrue(e.getMessage().contains("--zero 3"), e.getMessage());
    }

    @Test
    void should_imply_the_framework_from_the_sharding() {
        assertEquals(Framework.DEEPSPEED, TrainingSetup.defaults().withSharding(Sharding.ZERO_2).effectiveFramework());
        assertEquals(Framework.TORCH_AMP, TrainingSetup.defaults().withSharding(Sharding.FSDP_FULL).effectiveFramework());
        assertEquals(Framework.MEGATRON, TrainingSetup.defaults().withParallel(8, 8, 1, 1, 1).effectiveFramework());
        assertEquals(Framework.PURE_BF16, TrainingSetup.defaults().withFramework(Framework.PURE_BF16).effectiveFramework());
    }

    @Test
    void should_parse_lora_targets_in_peft_and_torchtune_words() {
        assertEquals(Set.of(LoraTargets.Target.Q, LoraTargets.Target.V), LoraTargets.parse("q_proj, v_proj", "t").targets());
        assertEquals(Set.of(LoraTargets.Target.GATE, LoraTargets.Target.UP, LoraTargets.Target.DOWN, LoraTargets.Target.LM_HEAD),
                LoraTargets.parse("mlp;output", "t").targets());
        assertTrue(LoraTargets.parse("all-linear", "t").allLinear());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> LoraTargets.parse("q,x", "--lora-targets"));
        assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("all-linear"), e.getMessage());
    }

    @Test
    void should_name_every_choice_of_a_closed_set() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Optimizer.parse("lion", "--optimizer"));

        for (String k : Optimizer.keys()) {
            assertTrue(e.getMessage().contains(k), e.getMessage());
        }
    }
}
