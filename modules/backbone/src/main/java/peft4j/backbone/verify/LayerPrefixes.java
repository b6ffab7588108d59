package peft4j.backbone.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.EnumMap;
import java.util.Map;
import peft4j.api.AttentionPrefixHook;
import peft4j.api.AttentionStack;
import peft4j.api.KeyValuePrefix;

/**
 * Fixed key/value rows per layer and stack, the way Hugging Face's {@code past_key_values} prefix a model. Each stack
 * has one keys and one values tensor with the layer first: {@code [layers, heads, P, headSize]} (broadcast over the
 * batch) or {@code [layers, batch, heads, P, headSize]} (used as they are). Layers are sliced during the pass, so
 * gradients reach the tensors. Stacks without rows get none. A stand-in for the prefix tuning method.
 */
public final class LayerPrefixes implements AttentionPrefixHook {

    /** The keys and values of every layer of one stack, layer first. */
    public record Stack(NDArray keys, NDArray values) {
    }

    private final Map<AttentionStack, Stack> stacks;

    public LayerPrefixes(Map<AttentionStack, Stack> stacks) {
        this.stacks = new EnumMap<>(stacks);
    }

    @Override
    public KeyValuePrefix prefix(AttentionStack stack, int layer, long batchSize) {
        Stack rows = stacks.get(stack);
        if (rows == null || layer >= rows.keys().getShape().get(0)) {
            return null;
        }
        return new KeyValuePrefix(batched(rows.keys().get(layer), batchSize),
                batched(rows.values().get(layer), batchSize));
    }

    private static NDArray batched(NDArray rows, long batchSize) {
        Shape shape = rows.getShape();
        return shape.dimension() == 4 ? rows
                : rows.expandDims(0).broadcast(batchSize, shape.get(0), shape.get(1), shape.get(2));
    }
}
