package peft4j.api;

/**
 * The shape of a backbone, enough for a method to size its tensors and count its parameters.
 *
 * @param architecture   e.g. {@code bert}, {@code t5}, {@code gpt2}
 * @param vocabSize      rows of the word-embedding matrix
 * @param hiddenSize     width of every hidden state (d_model)
 * @param layers         transformer layers that offer an attention prefix hook
 * @param attentionHeads heads per attention layer
 * @param maxPositions   the longest input (tokens, prompts included) the backbone accepts
 * @param parameterCount number of values in all of the backbone's weights
 */
public record BackboneSpec(String architecture, int vocabSize, int hiddenSize, int layers, int attentionHeads,
        int maxPositions, long parameterCount) {

    /** Width of one attention head. */
    public int headSize() {
        return hiddenSize / attentionHeads;
    }
}
