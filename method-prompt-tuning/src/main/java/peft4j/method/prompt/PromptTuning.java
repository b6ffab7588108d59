package peft4j.method.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;

/** Prompt tuning: L × hidden learned vectors in the input; every backbone weight stays frozen. */
public final class PromptTuning implements AdaptationMethod<PromptTuningConfig> {

    /** The tensor's name in adapter files, as PEFT names it. */
    public static final String TENSOR_NAME = "prompt_embeddings";

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

    @Override
    public Adapter attach(Backbone backbone, PromptTuningConfig config, AttachContext context) {
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
        return new Adapter() {
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

            @Override
            public void close() {
                manager.close();
            }
        };
    }
}
