/**
 * Model tuning: every weight of the backbone trains, the baseline that prompt and prefix tuning are measured against.
 * A trained model is saved as a complete Hugging Face model directory. Provides the {@code model-tuning} adaptation
 * method.
 */
module peft4j.method.finetune {
    requires peft4j.api;

    provides peft4j.api.AdaptationMethod with peft4j.method.finetune.ModelTuning;

    opens peft4j.method.finetune to com.fasterxml.jackson.databind;
}
