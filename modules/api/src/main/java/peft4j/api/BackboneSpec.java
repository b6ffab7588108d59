package peft4j.api;

/**
 * The shape of a backbone, enough for a method to size its tensors and count its parameters.
 *
 * @param architecture   e.g. {@code bert}, {@code t5}, {@code gpt2}
 * @param vocabSize      rows of the word-embedding matrix
 * @param hiddenSize     width of every hidden state (d_model)
 * @param layers         layers of the stack that reads the input ({@link AttentionStack#INPUT}); each offers an
 *                       attention prefix hook
 * @param decoderLayers  layers of a separate decoder stack ({@link AttentionStack#DECODER}); 0 for BERT and GPT-2
 * @param attentionHeads heads per attention layer
 * @param headSize       width of one attention head (hidden/heads for BERT and GPT-2; T5's d_kv may differ)
 * @param maxPositions   the longest input (tokens, prompts included) the backbone accepts
 * @param parameterCount number of values in all of the backbone's weights
 */
public record BackboneSpec(String architecture, int vocabSize, int hiddenSize, int layers, int decoderLayers,
        int attentionHeads, int headSize, int maxPositions, long parameterCount) {

    /** Layers in the given stack. */
    public int layers(AttentionStack stack) {
        return stack == AttentionStack.INPUT ? layers : decoderLayers;
    }
}
