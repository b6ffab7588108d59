package peft4j.api;

/**
 * Which transformer stack an attention layer belongs to, so that one prefix hook can serve encoder-only (BERT),
 * decoder-only (GPT-2) and encoder-decoder (T5) backbones.
 */
public enum AttentionStack {
    /** The stack that reads the input: BERT's encoder, GPT-2's (causal) stack, T5's encoder. */
    INPUT,
    /** T5's decoder self-attention; absent from backbones without a separate decoder. */
    DECODER
}
