package peft4j.backbone.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.verify.GoldenCheck;
import peft4j.backbone.verify.ReferenceFile;
import peft4j.backbone.verify.TensorComparison;
import peft4j.backbone.verify.Tolerance;

/**
 * GPT-2 against a golden {@code io.safetensors} (the layout of {@code golden/gpt2-tiny}): runs {@code input_ids} with
 * {@code attention_mask} (all ones when absent) and compares {@code hidden_states.N}, {@code last_hidden_state},
 * {@code logits} and, when {@code labels} are stored, {@code loss}. Tolerances are the fixtures' README values.
 */
public final class Gpt2GoldenCheck implements GoldenCheck {

    static final Tolerance HIDDEN_STATES = new Tolerance(1e-4, 1e-4);
    static final Tolerance LOGITS = new Tolerance(1e-4, 1e-4);
    static final Tolerance LOSS = new Tolerance(1e-4, 1e-5);

    private static final String HIDDEN_PREFIX = "hidden_states.";
    private static final Set<String> INPUTS = Set.of("input_ids", "attention_mask", "labels");

    @Override
    public String modelType() {
        return "gpt2";
    }

    @Override
    public List<TensorComparison> check(Path modelDir, Safetensors io, NDManager manager) {
        if (!io.contains("input_ids")) {
            throw new UserError(io.path() + " has no input_ids; a GPT-2 check needs them (and attention_mask, labels)");
        }
        ReferenceFile references = new ReferenceFile(io);
        try (NDManager scope = manager.newSubManager(); Gpt2Model model = Gpt2Model.load(modelDir, scope)) {
            references.requireIdsWithin("input_ids", model.spec().vocabSize(), 0);
            references.requireIdsWithin("labels", model.spec().vocabSize(), CausalLmLoss.IGNORE);
            NDArray ids = io.toNDArray("input_ids", scope).toType(DataType.INT64, false);
            Shape shape = ids.getShape();
            NDArray mask = io.contains("attention_mask") ? io.toNDArray("attention_mask", scope)
                    .toType(DataType.INT64, false) : scope.ones(shape, DataType.INT64);
            TokenBatch batch = new TokenBatch(ids, mask, scope.zeros(shape, DataType.INT64));
            Gpt2Model.Forward forward = model.forward(batch, ForwardHooks.NONE);
            NDArray logits = model.lmLogits(forward.output().hiddenStates());
            for (int i = 0; i < forward.hiddenStates().size(); i++) {
                references.compare(HIDDEN_PREFIX + i, forward.hiddenStates().get(i), HIDDEN_STATES);
            }
            references.compare("last_hidden_state", forward.output().hiddenStates(), HIDDEN_STATES);
            references.compare("logits", logits, LOGITS);
            if (io.contains("labels")) {
                NDArray labels = io.toNDArray("labels", scope).toType(DataType.INT64, false);
                references.compare("loss", CausalLmLoss.of(logits, labels).reshape(1), LOSS);
            }
            return references.comparisons();
        }
    }

    @Override
    public boolean isInput(String name) {
        return INPUTS.contains(name);
    }
}
