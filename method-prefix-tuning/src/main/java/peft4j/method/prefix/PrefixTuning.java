package peft4j.method.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.PeftConfig;
import peft4j.api.TrainingDefaults;
import peft4j.api.UserError;

/**
 * Prefix tuning: L learned key and value rows in front of every self-attention layer the backbone offers (its input
 * stack, and an encoder-decoder's decoder); the backbone stays frozen. With {@code reparameterize} the prefixes come
 * out of a small MLP that trains instead (Li &amp; Liang, 2021); without it this is P-tuning v2 (Liu et al., 2022).
 */
public final class PrefixTuning implements AdaptationMethod<PrefixTuningConfig> {

    /** The prefix table's name in adapter files, as PEFT names it. */
    public static final String TENSOR_NAME = "prompt_embeddings";

    static final String PEFT_TYPE = "PREFIX_TUNING";

    @Override
    public String name() {
        return "prefix-tuning";
    }

    @Override
    public String summary() {
        return "L learned key/value rows prepended in every self-attention layer (Li & Liang 2021; P-tuning v2), "
                + "optionally through an MLP; backbone frozen";
    }

    /**
     * P-tuning v2's recipe for prefixes trained directly: AdamW at 1e-2 (Liu et al. use 5e-3 to 1e-2; PEFT's prefix
     * example 1e-2). The prompt-tuning recipe (Adafactor at 0.3) moves N(0, 1) prefixes so far on BERT-base that
     * within 6 steps every input got the same prediction.
     */
    @Override
    public TrainingDefaults trainingDefaults() {
        return new TrainingDefaults("adamw", 1e-2);
    }

    /** Behind the MLP, Li &amp; Liang's AdamW at 5e-5: every weight of the MLP moves all L·width prefix values. */
    @Override
    public TrainingDefaults trainingDefaults(PrefixTuningConfig config) {
        return config.reparameterize() ? new TrainingDefaults("adamw", 5e-5) : trainingDefaults();
    }

    @Override
    public Class<PrefixTuningConfig> configType() {
        return PrefixTuningConfig.class;
    }

    @Override
    public PrefixTuningConfig defaultConfig() {
        return PrefixTuningConfig.defaults();
    }

    @Override
    public long tunableParameterCount(BackboneSpec backbone, PrefixTuningConfig config) {
        PrefixLayout layout = PrefixLayout.of(backbone, config);
        if (config.reparameterize()) {
            return PrefixProjection.parameterCount(config.length(), backbone.hiddenSize(),
                    config.projectionHidden(backbone.hiddenSize()), layout.width());
        }
        return (long) config.length() * layout.width();
    }

    @Override
    public Optional<PrefixTuningConfig> configFromPeft(JsonNode adapterConfig, BackboneSpec backbone) {
        if (!PEFT_TYPE.equals(adapterConfig.path("peft_type").asText())) {
            return Optional.empty();
        }
        int tokenDim = adapterConfig.path("token_dim").asInt();
        int layers = adapterConfig.path("num_layers").asInt();
        int heads = adapterConfig.path("num_attention_heads").asInt();
        int submodules = adapterConfig.path("num_transformer_submodules").asInt(1);
        if (tokenDim != backbone.hiddenSize() || layers != backbone.layers() || heads != backbone.attentionHeads()
                || submodules != PeftConfig.transformerSubmodules(backbone)) {
            throw new UserError("this PEFT prefix adapter was made for a model with token_dim " + tokenDim + ", "
                    + layers + " layers, " + heads + " heads and " + submodules + " transformer submodule(s), but this "
                    + backbone.architecture() + " has " + backbone.hiddenSize() + ", " + backbone.layers() + ", "
                    + backbone.attentionHeads() + " and " + PeftConfig.transformerSubmodules(backbone)
                    + "; load it onto the model it was trained for");
        }
        // PEFT saves the prefixes themselves (an MLP's output when prefix_projection was on), so they load plain.
        return Optional.of(new PrefixTuningConfig(adapterConfig.path("num_virtual_tokens").asInt(), false, null,
                null, true, true));
    }

    @Override
    public Adapter attach(Backbone backbone, PrefixTuningConfig config, AttachContext context) {
        BackboneSpec spec = backbone.spec();
        PrefixLayout layout = PrefixLayout.of(spec, config);
        NDManager manager = context.manager().newSubManager();
        Random random = new Random(context.seed());
        int length = config.length();
        if (config.reparameterize()) {
            PrefixProjection projection = PrefixProjection.create(length, spec.hiddenSize(),
                    config.projectionHidden(spec.hiddenSize()), layout.width(), random, manager);
            return new PrefixAdapter(spec, config, layout, manager, projection.tensors()) {
                private NDArray materialised;

                @Override
                NDArray table() {
                    return projection.table();
                }

                @Override
                public List<NamedTensor> savedTensors() {
                    if (materialised != null) {
                        materialised.close();
                    }
                    materialised = table();
                    List<NamedTensor> saved = new ArrayList<>(trainableTensors());
                    saved.add(new NamedTensor(TENSOR_NAME, materialised));
                    return saved;
                }
            };
        }
        // PEFT's nn.Embedding starts at N(0, 1).
        NDArray table = manager.create(PrefixProjection.normal(length * layout.width(), random),
                new Shape(length, layout.width()));
        table.setName(TENSOR_NAME);
        table.setRequiresGradient(true);
        return new PrefixAdapter(spec, config, layout, manager, List.of(new NamedTensor(TENSOR_NAME, table))) {
            @Override
            NDArray table() {
                return table;
            }
        };
    }

    /** The attached method; subclasses say where the prefix table comes from. */
    private abstract class PrefixAdapter implements Adapter {

        private final BackboneSpec spec;
        private final PrefixTuningConfig config;
        private final PrefixLayout layout;
        private final NDManager manager;
        private final List<NamedTensor> trainable;

        PrefixAdapter(BackboneSpec spec, PrefixTuningConfig config, PrefixLayout layout, NDManager manager,
                List<NamedTensor> trainable) {
            this.spec = spec;
            this.config = config;
            this.layout = layout;
            this.manager = manager;
            this.trainable = trainable;
        }

        /** The prefix table {@code [L, width]}. */
        abstract NDArray table();

        @Override
        public String methodName() {
            return name();
        }

        @Override
        public List<NamedTensor> trainableTensors() {
            return trainable;
        }

        @Override
        public ForwardHooks hooks() {
            return ForwardHooks.attentionPrefix(new PrefixKeyValues(layout, this::table));
        }

        @Override
        public MethodConfig config() {
            return config;
        }

        @Override
        public Optional<PeftConfig> peftConfig() {
            // PEFT reads the table as [L, num_layers, 2, heads, token_dim / heads]: ours matches when there is one
            // stack, or with PEFT's own encoder-decoder layout.
            boolean sameLayout = (spec.decoderLayers() == 0 || layout.peftSeq2Seq())
                    && spec.attentionHeads() * spec.headSize() == spec.hiddenSize();
            if (!sameLayout) {
                return Optional.empty();
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("encoder_hidden_size", config.projectionHidden(spec.hiddenSize()));
            fields.put("num_attention_heads", spec.attentionHeads());
            fields.put("num_layers", spec.layers());
            fields.put("num_transformer_submodules", PeftConfig.transformerSubmodules(spec));
            fields.put("num_virtual_tokens", config.length());
            fields.put("prefix_projection", config.reparameterize());
            fields.put("token_dim", spec.hiddenSize());
            return Optional.of(new PeftConfig(PEFT_TYPE, PeftConfig.taskTypeFor(spec), fields));
        }

        @Override
        public void close() {
            manager.close();
        }
    }
}
