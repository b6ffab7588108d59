/**
 * Prompt tuning (Lester et al., 2021): a soft prompt of L learned vectors inserted into the embedded input of a frozen
 * backbone; only the prompt trains. Provides the {@code prompt-tuning} adaptation method.
 */
module peft4j.method.prompt {
    requires peft4j.api;
    requires org.slf4j;
    requires com.google.gson;

    provides peft4j.api.AdaptationMethod with peft4j.method.prompt.PromptTuning;

    opens peft4j.method.prompt to com.fasterxml.jackson.databind;
}
