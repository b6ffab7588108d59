/**
 * peft4j.train: the method-agnostic trainer, the task heads that turn a backbone into a classifier
 * ({@code peft4j.train.head}: cloze for masked LMs, label-word continuation for causal LMs, text-to-text for
 * encoder-decoders), run directories with checkpoints and provenance. {@code peft4j.train.optim} holds the optimizers it drives (Adafactor as
 * in the prompt-tuning paper, AdamW), whose state lives in an NDManager they own and can be checkpointed.
 */
module peft4j.train {
    requires transitive peft4j.api;
    requires transitive peft4j.backbone;
    requires transitive peft4j.data;
    requires org.slf4j;
    requires com.google.gson;

    exports peft4j.train.optim;
    exports peft4j.train.head;
    exports peft4j.train.run;

    opens peft4j.train.run to com.fasterxml.jackson.databind;
}
