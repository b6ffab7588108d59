package peft4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A padded batch of token ids, all {@code [batch, length]} int64 arrays.
 *
 * @param inputIds      token ids, right-padded
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokenTypeIds  segment ids (0 for the first sentence, 1 for the second); zeros for single sentences
 */
public record TokenBatch(NDArray inputIds, NDArray attentionMask, NDArray tokenTypeIds) implements AutoCloseable {

    public long batchSize() {
        return inputIds.getShape().get(0);
    }

    public long length() {
        return inputIds.getShape().get(1);
    }

    @Override
    public void close() {
        new NDList(inputIds, attentionMask, tokenTypeIds).close();
    }
}
