package peft4j.backbone.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import peft4j.api.EmbeddedInput;
import peft4j.api.InputEmbeddingHook;
import peft4j.api.PositionMap;

/**
 * Prompt tuning as PEFT 0.6.2 applies it: the first {@code length} rows of {@code table} before every example's
 * input embeddings, always attended (mask ones on the left); the tokens move {@code length} positions to the right.
 * The rows are sliced during the pass, so gradients reach {@code table}. A stand-in for the prompt tuning method,
 * so that checks need no method module.
 */
public record PrependedPrompt(NDArray table, long length) implements InputEmbeddingHook {

    @Override
    public EmbeddedInput apply(EmbeddedInput input) {
        Shape shape = input.wordEmbeddings().getShape();
        long batch = shape.get(0);
        NDManager manager = input.wordEmbeddings().getManager();
        NDArray rows = table.get(new NDIndex("0:{}, :", length)).expandDims(0).broadcast(batch, length, shape.get(2));
        NDArray ones = manager.ones(new Shape(batch, length), DataType.INT64);
        NDArray noSegment = manager.zeros(new Shape(batch, length), input.tokenTypeIds().getDataType());
        return new EmbeddedInput(rows.concat(input.wordEmbeddings(), 1), noSegment.concat(input.tokenTypeIds(), 1),
                ones.concat(input.attentionMask().toType(DataType.INT64, false), 1),
                shifted(length).after(input.positions()));
    }

    private static PositionMap shifted(long length) {
        return (row, position) -> position + length;
    }
}
