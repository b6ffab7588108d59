package peft4j.backbone.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import peft4j.api.UserError;

/**
 * The next-token loss of a causal LM as Hugging Face computes it when {@code labels} are given: the logits at
 * position t predict label t+1 ({@code logits[:, :-1]} against {@code labels[:, 1:]}), labels of −100 are ignored, and
 * the cross entropy is averaged over the remaining targets.
 */
public final class CausalLmLoss {

    /** Hugging Face's {@code ignore_index}. */
    public static final long IGNORE = -100;

    private CausalLmLoss() {
    }

    /**
     * @param logits {@code [batch, length, vocab]}
     * @param labels {@code [batch, length]} int64, usually the input ids with −100 at padding
     * @return a scalar; NaN when no target is left (as Hugging Face's mean over nothing)
     */
    public static NDArray of(NDArray logits, NDArray labels) {
        long length = logits.getShape().get(1);
        long vocab = logits.getShape().get(2);
        if (!labels.getShape().equals(logits.getShape().slice(0, 2))) {
            throw new UserError("labels have shape " + labels.getShape() + " but the logits " + logits.getShape()
                    + "; give one label per input position");
        }
        NDArray predictions = logits.get(new NDIndex(":, 0:{}, :", length - 1)).reshape(-1, vocab);
        NDArray targets = labels.get(new NDIndex(":, 1:")).reshape(-1).toType(DataType.INT64, false);
        NDArray valid = targets.neq(IGNORE).toType(DataType.FLOAT32, false);
        // Ignored targets point at class 0; their term is multiplied away.
        NDArray safeTargets = targets.mul(valid.toType(DataType.INT64, false));
        NDArray picked = predictions.logSoftmax(-1).mul(safeTargets.oneHot(Math.toIntExact(vocab))).sum(new int[] {1});
        return picked.mul(valid).sum().neg().div(valid.sum());
    }
}
