package peft4j.api;

import ai.djl.ndarray.NDArray;

/**
 * The input of an encoder right after the word-embedding lookup, before position and segment embeddings are added.
 * An {@link InputEmbeddingHook} may return a longer one (a soft prompt inserted); positions are then re-numbered
 * 0..length'-1, so inserted rows get position embeddings like any token.
 *
 * @param wordEmbeddings {@code [batch, length, hidden]}
 * @param tokenTypeIds   {@code [batch, length]} int64
 * @param attentionMask  {@code [batch, length]} int64, 1 = attend
 * @param positions      where the original tokens now stand
 */
public record EmbeddedInput(NDArray wordEmbeddings, NDArray tokenTypeIds, NDArray attentionMask,
        PositionMap positions) {
}
