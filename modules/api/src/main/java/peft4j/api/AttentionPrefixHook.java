package peft4j.api;

/** Supplies extra key/value rows for the self-attention of one layer: the hook point of prefix tuning. */
@FunctionalInterface
public interface AttentionPrefixHook {

    /**
     * @param layer     0-based layer index
     * @param batchSize rows in the current batch
     * @return the prefix for this layer, or {@code null} for none
     */
    KeyValuePrefix prefix(int layer, long batchSize);
}
