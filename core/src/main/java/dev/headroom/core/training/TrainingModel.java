package dev.headroom.core.training;

import dev.headroom.core.base.Bytes;
import dev.headroom.core.base.Checked;
import dev.headroom.core.base.InvalidInputException;
import dev.headroom.core.cost.GpuPrice;
import dev.headroom.core.cost.PriceBook;
import dev.headroom.core.hardware.Gpu;
import dev.headroom.core.hardware.Interconnect;
import dev.headroom.core.model.Layer;
import dev.headroom.core.model.ModelProfile;
import dev.headroom.core.model.ModelSpec;
import dev.headroom.core.model.Tensor;
import dev.headroom.core.model.TensorRole;
import dev.headroom.core.precision.ComputeType;
import dev.headroom.core.precision.Precision;
import java.util.OptionalDouble;

/**
 * Memory, time and cost of training, term by term. Memory is counted on every pipeline stage and the busiest one
 * is reported; the GPU's terms follow from the framework's byte layout ({@link Framework}), the sharding
 * ({@link Sharding}), the offload, the optimizer ({@link Optimizer}) and the saved activations
 * ({@link LayerActivations}). Time is a roofline over the executed FLOPs with the fitted constants of
 * {@link TrainingEfficiency}, plus communication left after overlap, pipeline bubbles and host transfers.
 */
public final class TrainingModel {
    /**
     * The CUDA context and loaded kernels: a process's first CUDA tensor takes its memory from 0 to 723 MiB
     * (discuss.pytorch.org/t/what-is-the-reason-for-pytorchs-gpu-memory-floor/73021). Not in torch's allocated
     * or reserved figures; in nvidia-smi's.
     */
    public static final long CUDA_CONTEXT_BYTES = 723L * Bytes.MIB;
    /**
     * Memory the caching allocator reserves beyond what tensors hold, as a share of the allocated peak:
     * fsdp_qlora's published pairs are 10.24 GiB reserved over 8.28 GiB allocated and 10.22 over 9.16
     * (github:AnswerDotAI/fsdp_qlora benchmarks_03_2024.md, rows PX115-PX116 of validation/found/training.csv);
     * the mean of the two ratios, 1.176.
     */
    public static final double FRAGMENTATION = ((10.24 / 8.28) + (10.22 / 9.16)) / 2 - 1;
    /** DeepSpeed's reduce_bucket_size default, elements (deepspeed/runtime/zero/config.py). */
    static final long DEEPSPEED_REDUCE_BUCKET = 500_000_000L;
    /** DeepSpeed's stage3_prefetch_bucket_size default, elements (deepspeed/runtime/zero/config.py). */
    static final long DEEPSPEED_PREFETCH_BUCKET = 50_000_000L;
    /** Host link for offload and paging: PCIe Gen4 x16, 32 GB/s per direction (the catalog's rtx-4090 entry). */
    static final double HOST_LINK_BYTES_PER_SECOND = 32e9;
    /**
     * Bytes per logit element at the loss: the 16-bit logits of the output projection, their fp32 copy for the
     * cross-entropy, and the fp32 gradient of the logits in the backward pass.
     */
    static final int LOGIT_BYTES = 2 + 4 + 4;
    /** Under torch.compile the loss is fused: 16-bit logits and their 16-bit gradient, no fp32 copies. */
    static final int LOGIT_BYTES_COMPILED = 2 + 2;

    private TrainingModel() {}

    /** Memory, time (when it fits) and cost for a token budget (when a price is known). */
    public static TrainingEstimate estimate(ModelProfile model, Gpu gpu, TrainingSetup s, TrainingEfficiency e, PriceBook prices) {
        TrainingMemory memory = memory(model, gpu, s);
        TrainingTime time = memory.fits() ? time(model, gpu, s, e, memory) : null;
        GpuPrice price = s.usdPerGpuHour() != null ? GpuPrice.userStated(gpu.id(), s.usdPerGpuHour())
                : prices == null ? null : prices.cheapestOnDemand(gpu.id()).orElse(null);
        return new TrainingEstimate(model, gpu, s, memory, time, price, e);
    }

    // ------------------------------------------------------------------------------------------------ memory

    /** One pipeline stage's share of the model on one tensor-parallel rank. */
    private record Stage(int index, int firstLayer, int endLayer, long params, long quantizable, long nf4Bytes,
                         long trainable, long stateBytes, long largestTrainable, long largestLayer, long embedding, long head) {}

    static Stage stage(ModelShapes shapes, TrainingSetup s, int k) {
        ModelProfile p = shapes.profile();
        ModelSpec m = p.spec();
        int layers = m.layerCount();
        int first = (int) ((long) k * layers / s.pp());
        int end = (int) ((long) (k + 1) * layers / s.pp());
        boolean firstStage = k == 0;
        boolean lastStage = k == s.pp() - 1;
        int tp = s.tp();
        long params = 0;
        long quantizable = 0;
        long nf4 = 0;
        long embedding = 0;
        long head = 0;
        long[] perLayer = new long[Math.max(0, end - first)];
        for (Tensor t : p.tensors()) {
            boolean in = t.layer() >= 0 ? t.layer() >= first && t.layer() < end
                    : t.role() == TensorRole.EMBEDDING ? firstStage || (lastStage && m.tiedEmbeddings() && s.pp() > 1) : lastStage;
            if (!in) {
                continue;
            }
            long n = t.paramsPerRank(tp);
            params = Checked.add(params, n, "parameters per GPU");
            if (t.layer() >= 0) {
                perLayer[t.layer() - first] += n;
            } else if (t.role() == TensorRole.EMBEDDING) {
                embedding += n;
            } else {
                head += n;
            }
            if (t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP || t.role() == TensorRole.ROUTED_EXPERTS
                    || t.role() == TensorRole.SHARED_EXPERTS) {
                quantizable += n;
                nf4 = Checked.add(nf4, Precision.NF4.bytesFor(n), "NF4 bytes per GPU");
            }
        }
        long largestLayer = 0;
        for (long n : perLayer) {
            largestLayer = Math.max(largestLayer, n);
        }
        Framework f = s.effectiveFramework();
        Optimizer opt = s.optimizer();
        int sb = opt == Optimizer.ADAFACTOR ? 4 : f.stateBytes();
        long trainable = 0;
        long states = 0;
        long largestTrainable = 0;
        if (s.method() == Method.FULL) {
            trainable = params;
            long linearParams = 0;
            for (Linear l : shapes.linears()) {
                boolean in = l.layer() >= 0 ? l.layer() >= first && l.layer() < end : lastStage && !m.tiedEmbeddings();
                if (!in) {
                    continue;
                }
                long out = ceilDiv(l.out(), tp);
                states = Checked.add(states, Checked.multiply(l.copies(), opt.stateBytes(l.in(), out, sb), "optimizer bytes"), "optimizer bytes");
                linearParams += l.in() * out * l.copies();
                largestTrainable = Math.max(largestTrainable, l.in() * out);
            }
            long embeddingShare = firstStage || (lastStage && m.tiedEmbeddings()) ? embedding : 0;
            if (embeddingShare > 0) {
                states = Checked.add(states, opt.stateBytes(ceilDiv(m.vocabSize(), tp), m.hiddenSize(), sb), "optimizer bytes");
                largestTrainable = Math.max(largestTrainable, embeddingShare);
            }
            long rest = Math.max(0, params - linearParams - embeddingShare);
            states = Checked.add(states, opt.stateBytes(rest, 1, sb), "optimizer bytes");
        } else {
            for (Linear l : shapes.linears()) {
                boolean in = l.layer() >= 0 ? l.layer() >= first && l.layer() < end : lastStage;
                if (!in || !s.loraTargets().adapts(l.role())) {
                    continue;
                }
                long a = ceilDiv(l.in() * s.loraRank(), tp);
                long b = ceilDiv(l.out() * s.loraRank(), tp);
                trainable += (a + b) * l.copies();
                states += l.copies() * (opt.stateBytes(a, 1, sb) + opt.stateBytes(b, 1, sb));
                largestTrainable = Math.max(largestTrainable, Math.max(a, b));
            }
        }
        return new Stage(k, first, end, params, quantizable, nf4, trainable, states, largestTrainable, largestLayer, embedding, head);
    }

    /** Memory of the busiest pipeline stage's GPU. */
    public static TrainingMemory memory(ModelProfile model, Gpu gpu, TrainingSetup s) {
        checkLinks(gpu, s);
        ModelShapes shapes = ModelShapes.of(model);
        TrainingMemory worst = null;
        for (int k = 0; k < s.pp(); k++) {
            TrainingMemory m = stageMemory(shapes, gpu, s, stage(shapes, s, k));
            if (worst == null || m.totalBytes() > worst.totalBytes()) {
                worst = m;
            }
        }
        return worst;
    }

    static void checkLinks(Gpu gpu, TrainingSetup s) {
        if (s.gpus() > 1 && !gpu.interconnect().links()) {
            throw InvalidInputException.field("gpus", s.gpus(), gpu.id() + " has no GPU-to-GPU link: train on one");
        }
    }

    /** GPUs one node holds. */
    static int gpusPerNode(Gpu gpu) {
        return Math.max(1, gpu.interconnect().maxGpusPerNode());
    }

    /** Ranks a state is sharded over: the data-parallel group, or (hybrid FSDP) the part of it inside one node. */
    static int shardDegree(Gpu gpu, TrainingSetup s) {
        if (s.sharding().stage() == 0) {
            return 1;
        }
        if (s.sharding() == Sharding.FSDP_HYBRID) {
            return Math.max(1, Math.min(s.shardGroup(), gpusPerNode(gpu) / (s.tp() * s.pp())));
        }
        return s.shardGroup();
    }

    private static TrainingMemory stageMemory(ModelShapes shapes, Gpu gpu, TrainingSetup s, Stage st) {
        ModelProfile p = shapes.profile();
        ModelSpec m = p.spec();
        Framework f = s.effectiveFramework();
        int zero = s.sharding().stage();
        int shards = shardDegree(gpu, s);
        boolean full = s.method() == Method.FULL;
        long trainable = st.trainable();

        // Weights: trainable ones as the framework stores them; a frozen base in 16 bits, or NF4 for QLoRA's linear layers.
        long frozen = switch (s.method()) {
            case FULL -> 0;
            case LORA -> Checked.multiply(st.params(), 2, "frozen weight bytes");
            case QLORA -> Checked.add(st.nf4Bytes(), Checked.multiply(st.params() - st.quantizable(), 2, "frozen weight bytes"), "frozen weight bytes");
        };
        long weights = Checked.add(Checked.multiply(trainable, f.weightBytes(), "weight bytes"), frozen, "weight bytes");
        long weightsGpu = zero == 3 ? ceilDiv(weights, shards) : weights;
        long master = ceilDiv(Checked.multiply(trainable, f.masterBytes(), "master bytes"), zero >= 1 ? shards : 1);
        long grad16 = Checked.multiply(trainable, f.grad16Bytes(), "gradient bytes");
        grad16 = zero == 3 && f.gradMainBytes() > 0 ? 0 : ceilDiv(grad16, zero >= 2 ? shards : 1);
        long gradMain = ceilDiv(Checked.multiply(trainable, f.gradMainBytes(), "gradient bytes"), zero >= f.mainGradSplitFrom() ? shards : 1);
        long grads = grad16 + gradMain;
        if (s.optimizerInBackward()) {
            grads = Math.min(grads, Checked.multiply(st.largestTrainable(), f.grad16Bytes() + f.gradMainBytes(), "gradient bytes"));
        }
        long states = ceilDiv(st.stateBytes(), zero >= 1 ? shards : 1);

        // What leaves the GPU for host memory.
        long host = 0;
        if (s.offload().optimizer()) {
            host += master + states;
            master = 0;
            states = 0;
            if (f == Framework.DEEPSPEED) {
                host += grads;
                grads = 0;
            }
        }
        if (s.offload().params()) {
            host += weightsGpu;
            weightsGpu = 0;
        }

        // ZeRO-3 / FSDP gather whole layers to compute: DeepSpeed counts 2 bytes of parameters and 2 of gradients of the
        // largest layer (memory.rst: largest_layer_memory = 4 * largest_layer_params); FSDP holds the current and the
        // prefetched unit (a decoder layer, or the embedding / output projection) in 16 bits, and the unit's unsharded gradients.
        long gathered = 0;
        if (zero == 3) {
            long perParam16 = st.params() == 0 ? 2 : Math.max(1, (frozen + 2 * trainable) / Math.max(1, st.params()));
            if (f == Framework.DEEPSPEED) {
                gathered = Checked.multiply(ceilDiv(shapes.largestModule(), s.tp()), full ? 4 : 2, "gathered bytes");
            } else {
                long unit = Math.max(st.largestLayer(), Math.max(st.embedding(), st.head()));
                int gradBytes = f.gradMainBytes() > 0 ? f.gradMainBytes() : f.grad16Bytes();
                gathered = Checked.add(Checked.multiply(2 * unit, perParam16, "gathered bytes"),
                        full ? Checked.multiply(unit, gradBytes, "gathered bytes") : 0, "gathered bytes");
            }
        }

        // Communication buffers.
        long buffers = 0;
        String buffersHow = "none";
        if (s.dp() * s.cp() > 1) {
            if (f == Framework.DEEPSPEED && zero >= 1 && zero <= 2) {
                buffers = 2 * Math.min(DEEPSPEED_REDUCE_BUCKET, trainable);
                buffersHow = "DeepSpeed reduce bucket (reduce_bucket_size 5e8, 16-bit)";
            } else if (f == Framework.DEEPSPEED && zero == 3) {
                buffers = 2 * Math.min(DEEPSPEED_PREFETCH_BUCKET, st.params());
                buffersHow = "DeepSpeed prefetch bucket (stage3_prefetch_bucket_size 5e7, 16-bit)";
            } else if (zero == 0 && (f == Framework.TORCH_AMP || f == Framework.PURE_BF16)) {
                buffers = Checked.multiply(trainable, f.gradMainBytes() + f.grad16Bytes(), "bucket bytes");
                buffersHow = "PyTorch DDP's gradient buckets: a copy of the gradients (gradient_as_bucket_view=False)";
            }
        }

        // Activations saved for the backward pass.
        long activations = activationBytes(shapes, s, st);
        long logits = st.index() == s.pp() - 1 ? logitBytes(m, s) : 0;

        long allocatedNoStates = Checked.add(Checked.add(Checked.add(weightsGpu, master, "bytes"), Checked.add(grads, gathered, "bytes"), "bytes"),
                Checked.add(activations, Checked.add(logits, buffers, "bytes"), "bytes"), "bytes");
        // Paged optimizer states stay on the GPU while there is room; the rest is paged out to host memory.
        if (s.optimizer().paged() && states > 0) {
            // The GPU fills up to its capacity: the most allocated bytes whose total (with fragmentation and the
            // context) still fits, whatever else is allocated.
            long fullest = mostAllocated(gpu.visibleMemoryBytes());
            long onGpu = Math.max(0, Math.min(states, fullest - allocatedNoStates));
            host += states - onGpu;
            states = onGpu;
        }
        long allocated = Checked.add(allocatedNoStates, states, "bytes");
        long fragmentation = toBytes(allocated * FRAGMENTATION, "fragmentation bytes");
        Checked.add(Checked.add(allocated, fragmentation, "bytes per GPU"), CUDA_CONTEXT_BYTES, "bytes per GPU");

        int nodeGpus = Math.min(s.gpus(), gpusPerNode(gpu));
        long hostPerNode = hostBytes(shapes, gpu, s, Checked.multiply(host, nodeGpus, "host bytes"));

        long params = p.params();
        long trainableAll = full ? params : shapes.adapterParams(s.loraRank(), s.loraTargets());
        String shardWords = shards > 1 ? " over " + shards + " ranks" : "";
        return new TrainingMemory(params, trainableAll,
                new MemoryTerm("weights", "weights", weightsGpu, describeWeights(s, f, zero == 3 ? shardWords : "")),
                new MemoryTerm("master_weights", "fp32 master weights", master, f.masterBytes() == 0 ? "none: the weights are what the optimizer updates"
                        : s.offload().optimizer() ? "offloaded to host" : "4 bytes per trainable parameter" + (zero >= 1 ? shardWords : "")),
                new MemoryTerm("gradients", "gradients", grads, describeGradients(s, f, zero, shardWords)),
                new MemoryTerm("optimizer", "optimizer states", states, s.offload().optimizer() ? "offloaded to host"
                        : s.optimizer().key() + (zero >= 1 ? shardWords : "") + (s.optimizer().paged() ? " (paged: what does not fit lives in host memory)" : "")),
                new MemoryTerm("gathered", "gathered layers", gathered, zero == 3 ? (f == Framework.DEEPSPEED
                        ? "ZeRO-3: the largest layer's 16-bit parameters and gradients" : "FSDP: current and prefetched unit in 16 bits, and its gradients")
                        : "none: parameters are not sharded"),
                new MemoryTerm("activations", "activations", activations, "recompute " + s.recompute().key() + ", micro-batch "
                        + s.microBatch() + " x " + s.seqLen() / s.cp() + " tokens" + (s.pp() > 1 ? ", 1F1B in flight" : "")),
                new MemoryTerm("logits", "logits and loss", logits, logits == 0 ? "not on this stage"
                        : s.compile() ? "vocabulary x tokens: 16-bit logits and gradient (fused loss)"
                        : "vocabulary x tokens: 16-bit logits, fp32 copy and fp32 gradient"),
                new MemoryTerm("buffers", "communication buffers", buffers, buffersHow),
                new MemoryTerm("fragmentation", "allocator fragmentation", fragmentation,
                        String.format(java.util.Locale.ROOT, "%.1f%% of allocated memory", 100 * FRAGMENTATION)),
                new MemoryTerm("cuda_context", "CUDA context", CUDA_CONTEXT_BYTES, "context and kernels of one process"),
                hostPerNode, gpu.visibleMemoryBytes(), st.index());
    }

    /** The largest allocated byte count whose reserved total plus the CUDA context fits in {@code capacity}. */
    static long mostAllocated(long capacity) {
        long a = Math.max(0, (long) Math.floor((capacity - CUDA_CONTEXT_BYTES) / (1 + FRAGMENTATION)));
        while (a > 0 && a + (long) Math.ceil(a * FRAGMENTATION) + CUDA_CONTEXT_BYTES > capacity) {
            a--;
        }
        while (a + 1 + (long) Math.ceil((a + 1) * FRAGMENTATION) + CUDA_CONTEXT_BYTES <= capacity) {
            a++;
        }
        return a;
    }

    private static String describeWeights(TrainingSetup s, Framework f, String sharded) {
        String trained = switch (s.method()) {
            case FULL -> f.weightBytes() + " bytes per parameter";
            case LORA -> "16-bit frozen base + " + f.weightBytes() + "-byte adapters";
            case QLORA -> "NF4 base (embeddings, norms, lm_head in 16 bits) + " + f.weightBytes() + "-byte adapters";
        };
        return (s.offload().params() ? "offloaded to host; " : "") + trained + sharded;
    }

    private static String describeGradients(TrainingSetup s, Framework f, int zero, String sharded) {
        if (s.offload().optimizer() && f == Framework.DEEPSPEED) {
            return "streamed to host";
        }
        boolean grad16 = f.grad16Bytes() > 0 && !(zero == 3 && f.gradMainBytes() > 0);
        String bytes = (grad16 ? "16-bit" : "") + (grad16 && f.gradMainBytes() > 0 ? " + " : "")
                + (f.gradMainBytes() > 0 ? "fp32" : "") + " per trainable parameter";
        return (s.optimizerInBackward() ? "one tensor at a time (optimizer in backward)" : bytes) + (zero >= 1 ? sharded : "");
    }

    /** Host memory per node: DeepSpeed's own estimator under ZeRO-2/3 for full AdamW, else the offloaded bytes. */
    private static long hostBytes(ModelShapes shapes, Gpu gpu, TrainingSetup s, long offloadedPerNode) {
        Framework f = s.effectiveFramework();
        int zero = s.sharding().stage();
        if (f == Framework.DEEPSPEED && s.method() == Method.FULL && s.optimizer() == Optimizer.ADAMW && zero >= 2
                && s.tp() * s.pp() * s.cp() == 1) {
            int perNode = Math.min(s.gpus(), gpusPerNode(gpu));
            int nodes = ceilDiv(s.gpus(), perNode);
            long params = shapes.profile().params();
            DeepSpeedEstimator.Needs n = zero == 2
                    ? DeepSpeedEstimator.zero2(params, perNode, nodes, s.offload().optimizer(), DeepSpeedEstimator.BUFFER_FACTOR,
                    DeepSpeedEstimator.Zero2Formula.SINCE_V0_14_3)
                    : DeepSpeedEstimator.zero3(params, shapes.largestModule(), perNode, nodes, s.offload().optimizer(), s.offload().params(),
                    true, DeepSpeedEstimator.BUFFER_FACTOR);
            return n.cpuBytes();
        }
        return offloadedPerNode;
    }

    /**
     * Bytes per token per layer that LoRA's dropout keeps: the dropped-out copy of each adapted matrix's input
     * (16 bits) and its one-byte mask (PEFT, torchtune and LitGPT apply dropout before lora_A).
     */
    static double[] loraDropoutBytes(ModelShapes shapes, TrainingSetup s) {
        double[] out = new double[shapes.profile().spec().layerCount()];
        if (!s.method().adapters() || s.loraDropout() == 0) {
            return out;
        }
        for (Linear l : shapes.linears()) {
            if (l.layer() >= 0 && s.loraTargets().adapts(l.role())) {
                out[l.layer()] += (LayerActivations.BYTES + 1.0) * l.in() / s.tp();
            }
        }
        return out;
    }

    /** Saved activations on a stage: its layers, times the micro-batches 1F1B keeps in flight there. */
    static long activationBytes(ModelShapes shapes, TrainingSetup s, Stage st) {
        ModelSpec m = shapes.profile().spec();
        double tokens = (double) s.microBatch() * s.seqLen() / s.cp();
        boolean sp = s.tp() > 1;
        double[] loraDropout = loraDropoutBytes(shapes, s);
        double sum = 0;
        double oneLayer = 0;
        for (int i = st.firstLayer(); i < st.endLayer(); i++) {
            Layer layer = m.layers().get(i);
            LayerActivations a = LayerActivations.of(layer, m.hiddenSize(), s.flashAttention(), s.dropout(), s.compile());
            // Dropout is pointwise: selective recomputation recomputes it (with its random state), as full does.
            double none = a.none(s.tp(), sp, attended(layer, s.seqLen())) + loraDropout[i];
            oneLayer = Math.max(oneLayer, none);
            sum += switch (s.recompute()) {
                case NONE -> none;
                case SELECTIVE -> a.selective(s.tp(), sp);
                case FULL -> a.full(s.tp(), sp);
            };
        }
        double inFlight = 1;
        if (s.pp() > 1) {
            inFlight = Math.min(s.pp() - st.index(), s.gradAccum());
            if (st.index() == 0 && s.vp() > 1) {
                inFlight *= 1 + (s.pp() - 1.0) / (s.pp() * s.vp());
            }
        }
        double bytes = tokens * (sum * inFlight + (s.recompute() == Recompute.FULL ? oneLayer : 0));
        return toBytes(bytes, "activation bytes");
    }

    /** Tokens a layer's eager attention scores span: the window of a sliding layer, else the sequence. */
    private static double attended(Layer layer, int seqLen) {
        int w = layer.mixer().window();
        return w > 0 ? Math.min(w, seqLen) : seqLen;
    }

    static long logitBytes(ModelSpec m, TrainingSetup s) {
        double tokens = (double) s.microBatch() * s.seqLen() / s.cp();
        double vocab = Math.ceil((double) m.vocabSize() / s.tp());
        double headInputs = 2.0 * LayerActivations.BYTES * m.hiddenSize() / (s.tp() > 1 ? s.tp() : 1);
        return toBytes(tokens * (vocab * (s.compile() ? LOGIT_BYTES_COMPILED : LOGIT_BYTES) + headInputs), "logit bytes");
    }

    // ------------------------------------------------------------------------------------------------ time

    /** Dense peak FLOP/s of a compute path on a GPU, falling back to the next wider path it has. */
    static double peak(Gpu gpu, ComputeType c) {
        for (ComputeType t : c.fallbacks()) {
            OptionalDouble v = gpu.peakFlops(t);
            if (v.isPresent() && v.getAsDouble() > 0) {
                return v.getAsDouble();
            }
        }
        throw new InvalidInputException("GPU " + gpu.id() + " lists no dense FLOP/s for " + c.key() + " or a wider path");
    }

    /** One step's time on the busiest GPU. */
    public static TrainingTime time(ModelProfile model, Gpu gpu, TrainingSetup s, TrainingEfficiency e, TrainingMemory mem) {
        checkLinks(gpu, s);
        ModelShapes shapes = ModelShapes.of(model);
        ModelSpec m = model.spec();
        Framework f = s.effectiveFramework();
        int split = s.tp() * s.pp() * s.cp();
        double tokens = (double) s.microBatch() * s.seqLen();   // one micro-batch of one replica
        double n = model.matmulParamsPerToken();
        double adapter = s.method().adapters() ? shapes.adapterParams(s.loraRank(), s.loraTargets()) : 0;
        ModelProfile.AttentionCost attention = model.attentionCost(0, m.layerCount());
        double attnFwdCausal = attention.flops(s.seqLen() / 2.0);

        // Executed FLOPs per token: forward 2N; backward 4N (full) or 2N plus the adapters' 4A (frozen weights need no
        // weight gradients); full recomputation runs the forward again; attention's backward is twice its forward.
        double mmFwd = 2 * n + 2 * adapter;
        double mmBwd = s.method() == Method.FULL ? 4 * n : 2 * n + 4 * adapter;
        int forwards = s.recompute() == Recompute.FULL ? 2 : 1;
        int attnForwards = s.recompute() == Recompute.NONE ? 1 : 2;
        double mm = tokens * (mmFwd * forwards + mmBwd) / split;
        double attn = tokens * attnFwdCausal * (attnForwards + 2) / split;

        double peak16 = peak(gpu, ComputeType.BF16);
        boolean fp8 = s.compute() == ComputeType.FP8 && gpu.peakFlops(ComputeType.FP8).isPresent();
        double mmRate = fp8 ? peak(gpu, ComputeType.FP8) * e.gemm() * e.fp8() : peak16 * e.gemm();
        double bw = gpu.bandwidthBytesPerSecond();
        // A GEMM cannot finish before its weights are read: once per forward, twice per backward.
        long weightBytesPerPass = (long) Math.ceil(model.params() / (double) split) * 2;
        double gemmSeconds = Math.max(mm / mmRate, weightBytesPerPass * (forwards + 2.0) / bw);
        double attnSeconds = attn / (peak16 * e.gemm());
        // Memory-bound work (norms, activations, residuals, casts): a fitted multiple of the bytes the layers save.
        double saved = 0;
        for (int i = 0; i < m.layerCount(); i++) {
            Layer layer = m.layers().get(i);
            saved += LayerActivations.of(layer, m.hiddenSize(), true, s.dropout(), s.compile()).none(s.tp(), s.tp() > 1, 0);
        }
        // LoRA's adapters are small matrix products: each reads its input and writes its output, memory-bound.
        double adapterBytes = 0;
        if (s.method().adapters()) {
            for (Linear l : shapes.linears()) {
                if (s.loraTargets().adapts(l.role())) {
                    adapterBytes += LayerActivations.BYTES * (double) (l.in() + l.out()) / s.tp(); // routed experts: counted once per token
                }
            }
        }
        double trafficBytes = tokens / (s.pp() * s.cp()) * (saved + adapterBytes) * e.traffic() * (s.compile() ? e.compiled() : 1)
                + tokens / s.cp() * Math.ceil((double) m.vocabSize() / s.tp()) * LOGIT_BYTES / s.pp();
        double memorySeconds = trafficBytes / bw;
        // QLoRA unpacks NF4 weights to 16 bits before each use: read the NF4 block, write and read back 16 bits.
        double dequantSeconds = 0;
        if (s.method() == Method.QLORA) {
            double quantized = 0;
            for (Tensor t : model.tensors()) {
                if (t.role() == TensorRole.ATTENTION || t.role() == TensorRole.MLP || t.role() == TensorRole.ROUTED_EXPERTS
                        || t.role() == TensorRole.SHARED_EXPERTS) {
                    quantized += t.params();
                }
            }
            quantized /= (double) s.tp() * s.pp();
            dequantSeconds = (forwards + 1) * quantized * (Precision.NF4.bitsPerValue() / 8 + 4) / bw;
        }
        double micro = gemmSeconds + attnSeconds + memorySeconds + dequantSeconds;
        int micros = s.gradAccum();
        double compute = micros * micro;
        double bubble = s.pp() > 1 ? (s.pp() - 1.0) / s.vp() * micro : 0;

        // Tensor parallelism: two all-reduces per layer forward, two backward (and two more when recomputing), each
        // of the micro-batch's hidden states; a ring moves 2(t-1)/t of the bytes.
        double tpSeconds = 0;
        Interconnect link = gpu.interconnect();
        int perNode = gpusPerNode(gpu);
        double linkBw = link.links() ? link.bytesPerSecond() : HOST_LINK_BYTES_PER_SECOND;
        if (s.tp() > 1) {
            double bytes = tokens / s.cp() * m.hiddenSize() * 2;
            double perCollective = 2.0 * (s.tp() - 1) / s.tp() * bytes / (s.tp() <= perNode ? linkBw : Math.min(linkBw, crossNode(s, perNode)));
            int collectives = (2 * forwards + 2) * m.layerCount() / s.pp();
            tpSeconds = micros * collectives * perCollective;
        }

        // Data parallelism: gradients reduced once per step, overlapped with the last micro-batch's backward pass;
        // ZeRO-3/FSDP also gather parameters forward and backward for every micro-batch, overlapped with its compute.
        double dpSeconds = 0;
        int group = s.shardGroup();
        int zero = s.sharding().stage();
        if (group > 1) {
            double dpBw = s.gpus() > perNode ? Math.min(linkBw, crossNode(s, perNode)) : linkBw;
            long trainableRank = (long) Math.ceil((s.method() == Method.FULL ? model.params() : adapter) / ((double) s.tp() * s.pp()));
            double gradBytes = trainableRank * (double) f.reducedGradBytes();
            double backward = micro * 2.0 / 3;
            if (zero < 3) {
                double reduce = 2.0 * (group - 1) / group * gradBytes / dpBw;
                dpSeconds = Math.max(0, reduce - backward);
            } else {
                int shards = shardDegree(gpu, s);
                double shardBw = shards * s.tp() * s.pp() <= perNode ? linkBw : dpBw;
                // Gathered in 16 bits (QLoRA: its NF4 blocks).
                double paramBytes = (s.method() == Method.QLORA ? Precision.NF4.bitsPerValue() / 8 : 2.0)
                        * model.params() / ((double) s.tp() * s.pp());
                double gathers = 2.0 * (shards - 1) / shards * paramBytes / shardBw;
                double scatter = (shards - 1.0) / shards * gradBytes / shardBw;
                dpSeconds = micros * Math.max(0, gathers + scatter - micro);
                int replicas = group / shards;
                if (replicas > 1) {
                    dpSeconds += Math.max(0, 2.0 * (replicas - 1) / replicas * gradBytes / shards / crossNode(s, perNode) - backward);
                }
            }
        }

        // Host transfers: offloaded optimizers send gradients down and receive updated 16-bit weights each step;
        // offloaded parameters come up for every forward and backward; paged states spilled to host move both ways.
        double offloadSeconds = 0;
        long trainableRank = mem.trainableParams() / split;
        if (s.offload().optimizer()) {
            offloadSeconds += trainableRank * (2.0 + 2.0) / HOST_LINK_BYTES_PER_SECOND;
        }
        if (s.offload().params()) {
            offloadSeconds += micros * 2.0 * 2.0 * model.params() / ((double) split * shardDegree(gpu, s)) / HOST_LINK_BYTES_PER_SECOND;
        }
        if (s.optimizer().paged() && mem.hostBytes() > 0 && !s.offload().optimizer()) {
            offloadSeconds += 2.0 * mem.hostBytes() / Math.min(s.gpus(), perNode) / HOST_LINK_BYTES_PER_SECOND;
        }

        // The optimizer step reads and writes weights, master copies, gradients and states once.
        double optimizerSeconds = 2.0 * (s.method() == Method.FULL
                ? mem.weights().bytes() + mem.master().bytes() + mem.gradients().bytes() + mem.optimizer().bytes()
                : mem.optimizer().bytes()) / bw;

        long tokensPerGpu = (long) Math.ceil(tokens * micros / split);
        double modelFlops = modelFlopsPerToken(model, shapes, s);
        double peakModel = fp8 ? peak(gpu, ComputeType.FP8) : peak16;
        return new TrainingTime(compute, bubble, tpSeconds, dpSeconds, offloadSeconds, optimizerSeconds, tokensPerGpu, modelFlops, peakModel);
    }

    /**
     * A collective across nodes runs one ring per network card (NCCL's channels over the rails), so it moves data
     * at up to the node's total network bandwidth: the per-GPU link times the GPUs of a node.
     */
    static double crossNode(TrainingSetup s, int perNode) {
        return s.interNodeBytesPerSecond() * perNode;
    }

    /**
     * FLOPs per token the MFU convention counts: 6 N + 12 L h s (torchtitan, MODEL.md; N the matrix-multiply
     * parameters, attention over the whole sequence, recomputation not counted). LoRA: 2 N forward, 2 N backward and
     * 6 per adapter parameter.
     */
    public static double modelFlopsPerToken(ModelProfile model, ModelShapes shapes, TrainingSetup s) {
        double n = model.matmulParamsPerToken();
        double attention = 3 * model.attentionCost(0, model.spec().layerCount()).flops(s.seqLen());
        if (s.method() == Method.FULL) {
            return 6 * n + attention;
        }
        return 4 * n + 6 * shapes.adapterParams(s.loraRank(), s.loraTargets()) + attention;
    }

    static long ceilDiv(long a, long b) {
        return Math.floorDiv(a + b - 1, b);
    }

    static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }

    private static long toBytes(double bytes, String what) {
        if (!(bytes >= 0) || bytes >= 0x1p63) {
            throw new InvalidInputException(what + " are too large to count exactly (" + bytes + "); check the sizes given");
        }
        return (long) Math.ceil(bytes);
    }
}
