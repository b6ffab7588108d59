package peft4j.api;

/** Supplies extra key/value rows for the self-attention of one layer: the hook point of prefix tuning. */
@FunctionalInterface
public interface AttentionPrefixHook {

    /**
     * @param stack     the stack the layer belongs to ({@link AttentionStack#DECODER} only on encoder-decoder models)
     * @param layer     0-based layer index within that stack
     * @param batchSize rows in the current batch
     * @return the prefix for this layer, or {@code null} for none
     */
    KeyValuePrefix prefix(AttentionStack stack, int layer, long batchSize);
}
