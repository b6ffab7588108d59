package peft4j.api;

import ai.djl.ndarray.NDArray;

/**
 * What {@link Backbone#encode} returns.
 *
 * @param hiddenStates  {@code [batch, length', hidden]}, where length' includes anything a hook inserted
 * @param attentionMask {@code [batch, length']}, the mask actually used
 * @param positions     where each input token ended up in {@code hiddenStates}
 */
public record EncoderOutput(NDArray hiddenStates, NDArray attentionMask, PositionMap positions) {
}
