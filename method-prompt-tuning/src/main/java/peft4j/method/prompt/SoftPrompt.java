package peft4j.method.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import peft4j.api.EmbeddedInput;
import peft4j.api.InputEmbeddingHook;
import peft4j.api.PositionMap;

/**
 * The learned prompt vectors and how they enter the embedded input. Inserted before position and segment embeddings
 * are added, so prompt rows get position embeddings (1..L after [CLS], 0..L-1 in front) and the embedding LayerNorm
 * like any token; the attention mask gets ones for them.
 */
final class SoftPrompt implements InputEmbeddingHook {

    private final NDArray vectors;
    private final PromptPlacement placement;

    SoftPrompt(NDArray vectors, PromptPlacement placement) {
        this.vectors = vectors;
        this.placement = placement;
    }

    NDArray vectors() {
        return vectors;
    }

    long length() {
        return vectors.getShape().get(0);
    }

    @Override
    public EmbeddedInput apply(EmbeddedInput input) {
        NDArray words = input.wordEmbeddings();
        long batch = words.getShape().get(0);
        long length = length();
        NDArray prompt = vectors.expandDims(0).broadcast(new Shape(batch, length, vectors.getShape().get(1)));
        NDArray promptTypes = input.tokenTypeIds().getManager().zeros(new Shape(batch, length), DataType.INT64);
        NDArray promptMask = input.attentionMask().getManager().ones(new Shape(batch, length), DataType.INT64);
        if (placement == PromptPlacement.FRONT) {
            return new EmbeddedInput(prompt.concat(words, 1), promptTypes.concat(input.tokenTypeIds(), 1),
                    promptMask.concat(input.attentionMask(), 1),
                    shifted((row, p) -> p + length, input.positions()));
        }
        return new EmbeddedInput(insertAfterFirst(words, prompt), insertAfterFirst(input.tokenTypeIds(), promptTypes),
                insertAfterFirst(input.attentionMask(), promptMask),
                shifted((row, p) -> p == 0 ? 0 : p + length, input.positions()));
    }

    private static PositionMap shifted(PositionMap shift, PositionMap before) {
        return shift.after(before);
    }

    /** {@code [x0, inserted, x1..]} along axis 1. */
    private static NDArray insertAfterFirst(NDArray x, NDArray inserted) {
        boolean is3d = x.getShape().dimension() == 3;
        NDArray first = x.get(is3d ? new NDIndex(":, 0:1, :") : new NDIndex(":, 0:1"));
        NDArray rest = x.get(is3d ? new NDIndex(":, 1:, :") : new NDIndex(":, 1:"));
        return first.concat(inserted, 1).concat(rest, 1);
    }
}
