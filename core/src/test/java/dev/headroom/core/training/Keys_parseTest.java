package dev.headroom.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.precision.ComputeType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The user's words for the training choices: each key reads back as its choice; a wrong one names the field and the valid words. */
class Keys_parseTest {
    @Test
    void should_read_every_choice_by_its_key_in_any_case_and_spacing() {
        for (Method m : Method.values()) {
            assertEquals(m, Method.parse(" " + m.key().toUpperCase() + " ", "method"));
            assertEquals(m.key(), m.toString());
        }
        for (Framework f : Framework.values()) {
            assertEquals(f, Framework.parse(f.key(), "framework"));
            assertEquals(f.key(), f.toString());
        }
        for (Optimizer o : Optimizer.values()) {
            assertEquals(o, Optimizer.parse(o.key(), "optimizer"));
            assertEquals(o.key(), o.toString());
        }
        for (Recompute r : Recompute.values()) {
            assertEquals(r, Recompute.parse(r.key(), "recompute"));
        }
        for (Offload o : Offload.values()) {
            assertEquals(o, Offload.parse(o.key(), "offload"));
        }
        for (Sharding s : Sharding.values()) {
            assertEquals(s, Sharding.parse(s.key(), "sharding"));
        }
        assertEquals(List.of("full", "lora", "qlora"), Method.keys());
        assertEquals(List.of("deepspeed", "megatron", "torch-amp", "pure-bf16"), Framework.keys());
        assertEquals(List.of("adamw", "adamw-8bit", "paged-adamw", "paged-adamw-8bit", "sgd", "adafactor"), Optimizer.keys());
        assertEquals(List.of("none", "selective", "full"), Recompute.keys());
        assertEquals(List.of("none", "optimizer", "optimizer+params"), Offload.keys());
        assertEquals(List.of("ddp", "zero-1", "zero-2", "zero-3", "fsdp-full", "fsdp-hybrid"), Sharding.keys());
    }

    @Test
    void should_name_the_field_the_word_and_the_valid_words_when_a_word_is_wrong_or_missing() {
        InvalidInputException wrong = assertThrows(InvalidInputException.class, () -> Method.parse("dora", "--method"));
        assertTrue(wrong.getMessage().contains("--method") && wrong.getMessage().contains("dora") && wrong.getMessage().contains("qlora"),
                wrong.getMessage());
        InvalidInputException blank = assertThrows(InvalidInputException.class, () -> Optimizer.parse("  ", "--optimizer"));
        assertTrue(blank.getMessage().contains("--optimizer") && blank.getMessage().contains("adamw, adamw-8bit"), blank.getMessage());
        assertThrows(InvalidInputException.class, () -> Recompute.parse(null, "--recompute"));
    }

    @Test
    void should_say_what_each_choice_implies() {
        assertTrue(Method.LORA.adapters() && Method.QLORA.adapters());
        assertFalse(Method.FULL.adapters());
        assertFalse(Offload.NONE.optimizer());
        assertTrue(Offload.OPTIMIZER.optimizer() && !Offload.OPTIMIZER.params());
        assertTrue(Offload.OPTIMIZER_AND_PARAMS.optimizer() && Offload.OPTIMIZER_AND_PARAMS.params());
        assertEquals(Sharding.ZERO_2, Sharding.zero(2));
        assertEquals(Sharding.DDP, Sharding.zero(0));
        assertEquals(Sharding.ZERO_1, Sharding.zero(1));
        assertEquals(Sharding.ZERO_3, Sharding.zero(3));
        assertThrows(InvalidInputException.class, () -> Sharding.zero(4));
        assertEquals(Sharding.FSDP_FULL, Sharding.fsdp(" Full ", "--fsdp"));
        assertEquals(Sharding.FSDP_HYBRID, Sharding.fsdp("hybrid", "--fsdp"));
        assertThrows(InvalidInputException.class, () -> Sharding.fsdp("shard", "--fsdp"));
        assertThrows(InvalidInputException.class, () -> Sharding.fsdp(null, "--fsdp"));
        assertTrue(Sharding.FSDP_FULL.fsdp() && Sharding.FSDP_HYBRID.fsdp() && !Sharding.ZERO_3.fsdp());
        // 16-bit gradients are reduced where the framework writes them; else the fp32 ones
        assertEquals(2, Framework.DEEPSPEED.reducedGradBytes());
        assertEquals(4, Framework.MEGATRON.reducedGradBytes());
        assertEquals(4, Framework.TORCH_AMP.reducedGradBytes());
        assertEquals(2, Framework.PURE_BF16.reducedGradBytes());
        assertEquals(Framework.MEGATRON, Framework.defaultFor(Sharding.DDP, true));
        assertEquals(Framework.TORCH_AMP, Framework.defaultFor(Sharding.DDP, false));
        assertEquals(Framework.TORCH_AMP, Framework.defaultFor(Sharding.FSDP_HYBRID, true));
        assertEquals(Framework.DEEPSPEED, Framework.defaultFor(Sharding.ZERO_1, true));
    }

    @Test
    void should_describe_a_setup_in_one_line() {
        TrainingSetup s = TrainingSetup.defaults().withMethod(Method.LORA).withLora(8, 16, LoraTargets.parse("q,v", "t"))
                .withParallel(16, 2, 2, 2, 3).withSharding(Sharding.ZERO_3).withOffload(Offload.OPTIMIZER)
                .withKernels(true, true, false, false).withBatch(2, 4096, 4).withCompute(ComputeType.FP8);
        assertEquals("lora r8 on q,v, 16 GPUs (tp 2, pp 2 x3, cp 2, dp 2), zero-3 offload optimizer, adamw, recompute none, "
                + "deepspeed fp8 compiled, micro-batch 2 x 4096 tokens, grad-accum 4", s.toString());
        assertEquals("full, 1 GPU, ddp, adamw, recompute none, torch-amp bf16, micro-batch 1 x 2048 tokens",
                TrainingSetup.defaults().toString());
    }
}
