package peft4j.method.prompt;

import com.fasterxml.jackson.annotation.JsonProperty;
import peft4j.api.MethodConfig;
import peft4j.api.UserError;

/**
 * Settings of prompt tuning.
 *
 * @param length    number of prompt vectors L (1..150); the paper's default is 20 (100 for its best results)
 * @param placement where the prompt goes: right after [CLS] (default) or in front of everything (PEFT's layout)
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
        placement = placement == null ? PromptPlacement.AFTER_CLS : placement;
        init = init == null || init.isBlank() ? "class-label" : init;
        if (length < 1 || length > MAX_LENGTH) {
            throw new UserError("prompt length must be between 1 and " + MAX_LENGTH + ", got " + length);
        }
        PromptInitialisation.check(init);
    }

    public static PromptTuningConfig defaults() {
        return new PromptTuningConfig(null, null, null);
    }
}
