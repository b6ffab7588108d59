package peft4j.method.prompt;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import peft4j.api.UserError;

/** Where the soft prompt is inserted into the embedded input. */
public enum PromptPlacement {
    /** Positions 1..L, right after [CLS]: [CLS] keeps position 0 and the sentence follows the prompt. */
    AFTER_CLS("after-cls"),
    /** Positions 0..L-1, before [CLS]: PEFT's layout for encoder models. */
    FRONT("front");

    private final String label;

    PromptPlacement(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @JsonCreator
    public static PromptPlacement parse(String text) {
        String normal = text.toLowerCase(Locale.ROOT).replace('_', '-');
        for (PromptPlacement p : values()) {
            if (p.label.equals(normal)) {
                return p;
            }
        }
        throw new UserError("unknown prompt placement '" + text + "'; choose after-cls or front");
    }
}
