/**
 * Prompt design: the task's hand-written template and verbalizer used zero-shot, optionally after k in-context
 * demonstrations (GPT-3 style). Nothing is trained. Provides the {@code prompt-design} adaptation method.
 */
module peft4j.method.design {
    requires peft4j.api;

    provides peft4j.api.AdaptationMethod with peft4j.method.design.PromptDesign;

    opens peft4j.method.design to com.fasterxml.jackson.databind;
}
