/**
 * peft4j.method.finetune: an {@code AdaptationMethod} plugin. It provides nothing yet: a method is listed by {@code peft4j methods}
 * only once it really works (see the issues that build it).
 */
module peft4j.method.finetune {
    requires peft4j.api;
}
