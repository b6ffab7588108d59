package peft4j.method.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.Supplier;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.KeyValuePrefix;

/**
 * The prefix hook of one forward pass: cuts each layer's key and value slots out of the prefix table and repeats them
 * for every row of the batch. The table is asked for once, at the first layer, so a reparameterised table goes
 * through its MLP once per pass.
 */
final class PrefixKeyValues implements AttentionPrefixHook {

    private final PrefixLayout layout;
    private final Supplier<NDArray> source;
    private NDArray table;

    PrefixKeyValues(PrefixLayout layout, Supplier<NDArray> source) {
        this.layout = layout;
        this.source = source;
    }

    @Override
    public KeyValuePrefix prefix(AttentionStack stack, int layer, long batchSize) {
        int key = layout.keySlot(stack, layer);
        if (key < 0) {
            return null;
        }
        if (table == null) {
            table = source.get();
        }
        return new KeyValuePrefix(forBatch(layout.slot(table, key), batchSize),
                forBatch(layout.slot(table, layout.valueSlot(stack, layer)), batchSize));
    }

    /** {@code [heads, L, headSize] -> [batch, heads, L, headSize]}. */
    private static NDArray forBatch(NDArray slot, long batchSize) {
        Shape shape = slot.getShape();
        return slot.expandDims(0).broadcast(new Shape(batchSize, shape.get(0), shape.get(1), shape.get(2)));
    }
}
