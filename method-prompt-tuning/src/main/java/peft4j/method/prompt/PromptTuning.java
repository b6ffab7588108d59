package peft4j.method.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.PeftConfig;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SavedTensors;

/** Prompt tuning: L × hidden learned vectors in the input; every backbone weight stays frozen. */
public final class PromptTuning implements AdaptationMethod<PromptTuningConfig> {

    /** The tensor's name in adapter files, as PEFT names it. */
    public static final String TENSOR_NAME = "prompt_embeddings";

    static final String PEFT_TYPE = "PROMPT_TUNING";

    @Override
    public String name() {
        return "prompt-tuning";
    }

    @Override
    public String summary() {
        return "a soft prompt of L vectors inserted into the embedded input (Lester et al. 2021); backbone frozen";
    }

    @Override
    public Class<PromptTuningConfig> configType() {
        return PromptTuningConfig.class;
    }

    @Override
    public PromptTuningConfig defaultConfig() {
        return PromptTuningConfig.defaults();
    }

    @Override
    public long tunableParameterCount(BackboneSpec backbone, PromptTuningConfig config) {
        return (long) config.length() * backbone.hiddenSize();
    }

    /** PEFT's PROMPT_TUNING adapters: the prompt goes in front, as PEFT puts it; the values are loaded afterwards. */
    @Override
    public Optional<PromptTuningConfig> configFromPeft(JsonNode adapterConfig, BackboneSpec backbone) {
        if (!PEFT_TYPE.equals(adapterConfig.path("peft_type").asText())) {
            return Optional.empty();
        }
        int tokenDim = adapterConfig.path("token_dim").asInt();
        int submodules = adapterConfig.path("num_transformer_submodules").asInt(1);
        if (tokenDim != backbone.hiddenSize() || submodules != PeftConfig.transformerSubmodules(backbone)) {
            throw new UserError("this PEFT prompt adapter was made for a model with token_dim " + tokenDim + " and "
                    + submodules + " transformer submodule(s), but this " + backbone.architecture() + " has "
                    + backbone.hiddenSize() + " and " + PeftConfig.transformerSubmodules(backbone)
                    + "; load it onto the model it was trained for");
        }
        return Optional.of(new PromptTuningConfig(adapterConfig.path("num_virtual_tokens").asInt(),
                PromptPlacement.FRONT, "random-uniform"));
    }

    @Override
    public Adapter attach(Backbone backbone, PromptTuningConfig requested, AttachContext context) {
        // The adapter records the placement it used, so a saved run reloads the same way on any backbone.
        PromptTuningConfig config = new PromptTuningConfig(requested.length(), requested.placementOn(backbone.spec()),
                requested.init());
        if (config.length() + 2 > backbone.spec().maxPositions()) {
            throw new UserError("a prompt of " + config.length() + " vectors leaves no room for text in a model of "
                    + backbone.spec().maxPositions() + " positions");
        }
        NDManager manager = context.manager().newSubManager();
        NDArray vectors = PromptInitialisation.create(config.init(), config.length(), backbone, context.task(),
                context.seed(), manager);
        vectors.setName(TENSOR_NAME);
        vectors.setRequiresGradient(true);
        SoftPrompt prompt = new SoftPrompt(vectors, config.placement());
        BackboneSpec spec = backbone.spec();
        int submodules = PeftConfig.transformerSubmodules(spec);
        return new Adapter() {
            /** The table last handed out by savedTensors(), freed on the next call. */
            private NDArray savedTable;

            @Override
            public String methodName() {
                return name();
            }

            @Override
            public List<NamedTensor> trainableTensors() {
                return List.of(new NamedTensor(TENSOR_NAME, prompt.vectors()));
            }

            @Override
            public ForwardHooks hooks() {
                return ForwardHooks.inputEmbedding(prompt);
            }

            @Override
            public int insertedPositions() {
                return config.length();
            }

            @Override
            public MethodConfig config() {
                return config;
            }

            /**
             * PEFT's table is {@code [L · num_transformer_submodules, d]}: on encoder-decoder models it keeps a second
             * block of L rows that its forward never reads. That block holds a copy of the prompt here.
             */
            @Override
            public List<NamedTensor> savedTensors() {
                if (submodules == 1) {
                    return trainableTensors();
                }
                if (savedTable != null) {
                    savedTable.close();
                }
                NDList copies = new NDList();
                for (int i = 0; i < submodules; i++) {
                    copies.add(prompt.vectors());
                }
                savedTable = NDArrays.concat(copies, 0);
                return List.of(new NamedTensor(TENSOR_NAME, savedTable));
            }

            /** Takes the first L rows of a table saved by PEFT or by {@link #savedTensors()}. */
            @Override
            public void restore(Safetensors saved) {
                NDArray vectors = prompt.vectors();
                long[] peftShape = {(long) submodules * config.length(), spec.hiddenSize()};
                if (submodules > 1 && saved.contains(TENSOR_NAME)
                        && Arrays.equals(saved.info(TENSOR_NAME).shape(), peftShape)) {
                    vectors.set(Arrays.copyOf(saved.floats(TENSOR_NAME), Math.toIntExact(vectors.size())));
                    return;
                }
                SavedTensors.copyInto(saved, trainableTensors());
            }

            /** PEFT prepends the prompt, so only the front placement is an adapter PEFT would run the same way. */
            @Override
            public Optional<PeftConfig> peftConfig() {
                if (config.placement() != PromptPlacement.FRONT) {
                    return Optional.empty();
                }
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("num_attention_heads", spec.attentionHeads());
                fields.put("num_layers", spec.layers());
                fields.put("num_transformer_submodules", submodules);
                fields.put("num_virtual_tokens", config.length());
                // Our initialisation is recorded in peft4j.json; PEFT's TEXT init would need a tokenizer on load.
                fields.put("prompt_tuning_init", "RANDOM");
                fields.put("prompt_tuning_init_text", null);
                fields.put("token_dim", spec.hiddenSize());
                fields.put("tokenizer_name_or_path", null);
                return Optional.of(new PeftConfig(PEFT_TYPE, PeftConfig.taskTypeFor(spec), fields));
            }

            @Override
            public void close() {
                manager.close();
            }
        };
    }
}
