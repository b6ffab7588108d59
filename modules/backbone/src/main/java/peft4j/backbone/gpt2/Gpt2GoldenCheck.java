package peft4j.backbone.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.backbone.verify.GoldenCheck;
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

    @Override
    public String modelType() {
        return "gpt2";
    }

    @Override
    public List<TensorComparison> check(Path modelDir, Safetensors io, NDManager manager) {
        if (!io.contains("input_ids")) {
            throw new UserError(io.path() + " has no input_ids; a GPT-2 check needs them (and attention_mask, labels)");
        }
        try (NDManager scope = manager.newSubManager(); Gpt2Model model = Gpt2Model.load(modelDir, scope)) {
            NDArray ids = io.toNDArray("input_ids", scope).toType(DataType.INT64, false);
            Shape shape = ids.getShape();
            NDArray mask = io.contains("attention_mask") ? io.toNDArray("attention_mask", scope)
                    .toType(DataType.INT64, false) : scope.ones(shape, DataType.INT64);
            TokenBatch batch = new TokenBatch(ids, mask, scope.zeros(shape, DataType.INT64));
            Gpt2Model.Forward forward = model.forward(batch, ForwardHooks.NONE);
            NDArray logits = model.lmLogits(forward.output().hiddenStates());
            List<TensorComparison> comparisons = new ArrayList<>();
            for (int i = 0; i < forward.hiddenStates().size(); i++) {
                compare(io, HIDDEN_PREFIX + i, forward.hiddenStates().get(i), HIDDEN_STATES, comparisons);
            }
            compare(io, "last_hidden_state", forward.output().hiddenStates(), HIDDEN_STATES, comparisons);
            compare(io, "logits", logits, LOGITS, comparisons);
            if (io.contains("labels")) {
                NDArray labels = io.toNDArray("labels", scope).toType(DataType.INT64, false);
                compare(io, "loss", CausalLmLoss.of(logits, labels).reshape(1), LOSS, comparisons);
            }
            return comparisons;
        }
    }

    private static void compare(Safetensors io, String name, NDArray actual, Tolerance tolerance,
            List<TensorComparison> comparisons) {
        if (io.contains(name)) {
            comparisons.add(TensorComparison.of(name, actual.toFloatArray(), actual.getShape().getShape(),
                    io.floats(name), io.info(name).shape(), tolerance));
        }
    }
}
