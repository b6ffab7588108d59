/** peft4j.train: the method-agnostic trainer (filled by the prompt-tuning issue). */
module peft4j.train {
    requires transitive peft4j.api;
}
