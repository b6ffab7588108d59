package peft4j.api;

/** Rewrites the embedded input before the encoder sees it: the hook point of prompt tuning. */
@FunctionalInterface
public interface InputEmbeddingHook {
    EmbeddedInput apply(EmbeddedInput input);
}
