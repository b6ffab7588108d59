package peft4j.api;

import ai.djl.ndarray.NDArray;

/**
 * Key and value rows prepended inside one attention layer; they are attended to but have no output row.
 *
 * @param keys   {@code [batch, heads, prefixLength, headSize]}
 * @param values {@code [batch, heads, prefixLength, headSize]}
 */
public record KeyValuePrefix(NDArray keys, NDArray values) {

    public long length() {
        return keys.getShape().get(2);
    }
}
