package peft4j.method.finetune;

import ai.djl.ndarray.NDArray;
import java.util.List;
import peft4j.api.AdaptationMethod;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.ForwardHooks;
import peft4j.api.MethodConfig;
import peft4j.api.NamedTensor;
import peft4j.api.TrainingDefaults;

/**
 * Model tuning (fine-tuning): all of the backbone's weights train, read through the same cloze head as the other
 * methods. Unlike them it changes the backbone itself, so a trained adapter is a whole model.
 *
 * <p>Defaults: AdamW at 3e-5, the usual BERT fine-tuning recipe. The prompt-tuning paper's model-tuning baseline
 * (T5's own recipe) is Adafactor at a constant 1e-3: {@code --optimizer adafactor --lr 1e-3}.
 */
public final class ModelTuning implements AdaptationMethod<ModelTuningConfig> {

    @Override
    public String name() {
        return "model-tuning";
    }

    @Override
    public String summary() {
        return "every backbone weight trains (fine-tuning, the baseline); changes the backbone and saves a whole "
                + "model";
    }

    @Override
    public TrainingDefaults trainingDefaults() {
        return new TrainingDefaults("adamw", 3e-5);
    }

    @Override
    public Class<ModelTuningConfig> configType() {
        return ModelTuningConfig.class;
    }

    @Override
    public ModelTuningConfig defaultConfig() {
        return new ModelTuningConfig();
    }

    @Override
    public long tunableParameterCount(BackboneSpec backbone, ModelTuningConfig config) {
        return backbone.parameterCount();
    }

    /**
     * Makes every backbone weight trainable, under its Hugging Face name. The arrays are the backbone's own, so
     * training updates the model in memory (never its files); closing the adapter stops them recording gradients.
     */
    @Override
    public Adapter attach(Backbone backbone, ModelTuningConfig config, AttachContext context) {
        List<NamedTensor> weights = backbone.weights().entrySet().stream()
                .map(e -> new NamedTensor(e.getKey(), e.getValue())).toList();
        for (NamedTensor t : weights) {
            t.array().setRequiresGradient(true);
        }
        return new Adapter() {
            @Override
            public String methodName() {
                return name();
            }

            @Override
            public List<NamedTensor> trainableTensors() {
                return weights;
            }

            @Override
            public ForwardHooks hooks() {
                return ForwardHooks.NONE;
            }

            @Override
            public MethodConfig config() {
                return config;
            }

            @Override
            public boolean replacesBackboneWeights() {
                return true;
            }

            @Override
            public void close() {
                for (NamedTensor t : weights) {
                    NDArray array = t.array();
                    if (!array.isReleased()) {
                        array.setRequiresGradient(false);
                    }
                }
            }
        };
    }
}
