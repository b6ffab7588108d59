package peft4j.method.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import peft4j.api.MethodConfig;
import peft4j.api.UserError;

/**
 * Settings of prompt tuning.
 *
 * @param length    number of prompt vectors L (1..150); the paper's default is 20 (100 for its best results)
 * @param placement where the prompt goes: right after [CLS] or in front of everything (PEFT's layout); unset, it is
 *                  after [CLS] on backbones whose input starts with one (BERT) and in front elsewhere (GPT-2, T5),
 *                  see {@link #placementOn}
 * @param init      {@code class-label} (default: label-word embeddings, the rest sampled vocabulary),
 *                  {@code sampled-vocab}, {@code random-uniform}, {@code text:SOME TEXT} or {@code file:PATH}
 */
public record PromptTuningConfig(
        @JsonProperty("length") Integer length,
        @JsonProperty("placement") PromptPlacement placement,
        @JsonProperty("init") String init) implements MethodConfig {

    public static final int MAX_LENGTH = 150;

    public PromptTuningConfig {
        length = length == null ? 20 : length;
        init = init == null || init.isBlank() ? "class-label" : init;
        if (length < 1 || length > MAX_LENGTH) {
            throw new UserError("prompt length must be between 1 and " + MAX_LENGTH + ", got " + length);
        }
        PromptInitialisation.check(init);
    }

    public static PromptTuningConfig defaults() {
        return new PromptTuningConfig(null, null, null);
    }

    /**
     * The placement on a backbone: the configured one, else right after [CLS] for BERT, whose input starts with it,
     * and in front for backbones without a [CLS] (GPT-2, T5), as PEFT prepends.
     */
    public PromptPlacement placementOn(peft4j.api.BackboneSpec backbone) {
        if (placement != null) {
            return placement;
        }
        return backbone.architecture().equals("bert") ? PromptPlacement.AFTER_CLS : PromptPlacement.FRONT;
    }
}
