/**
 * peft4j.serve: one frozen backbone serving many adapters at once — mixed-task batches (a different prompt per
 * example in one forward pass) and prompt ensembles (N prompts of one task in one batch, majority vote).
 */
module peft4j.serve {
    requires transitive peft4j.train;
    requires org.slf4j;
    requires com.google.gson;
    requires com.fasterxml.jackson.databind;

    exports peft4j.serve;
}
