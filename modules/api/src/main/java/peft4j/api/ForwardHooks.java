package peft4j.api;

import java.util.Optional;

/** The hooks of one forward pass; {@link #NONE} runs the plain backbone. */
public record ForwardHooks(Optional<InputEmbeddingHook> inputEmbedding, Optional<AttentionPrefixHook> attentionPrefix) {

    public static final ForwardHooks NONE = new ForwardHooks(Optional.empty(), Optional.empty());

    public static ForwardHooks inputEmbedding(InputEmbeddingHook hook) {
        return new ForwardHooks(Optional.of(hook), Optional.empty());
    }

    public static ForwardHooks attentionPrefix(AttentionPrefixHook hook) {
        return new ForwardHooks(Optional.empty(), Optional.of(hook));
    }
}
