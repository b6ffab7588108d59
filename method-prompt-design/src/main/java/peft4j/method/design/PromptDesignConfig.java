package peft4j.method.design;

import com.fasterxml.jackson.annotation.JsonProperty;
import peft4j.api.MethodConfig;
import peft4j.api.UserError;

/**
 * Settings of prompt design.
 *
 * @param shots in-context demonstrations put before each example (0 = zero-shot); the oldest are cut first when
 *              the input would exceed the model's length
 */
public record PromptDesignConfig(@JsonProperty("shots") Integer shots) implements MethodConfig {

    public PromptDesignConfig {
        shots = shots == null ? 0 : shots;
        if (shots < 0 || shots > 64) {
            throw new UserError("--shots must be between 0 and 64, got " + shots);
        }
    }
}
