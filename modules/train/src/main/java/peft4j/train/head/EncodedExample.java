package peft4j.train.head;

import peft4j.data.Example;

/** One example as a {@link TaskHead} prepared it for its backbone; the trainer and evaluator need only these facts. */
public interface EncodedExample {

    /** Tokens the example puts through the model (for batching by length), inserted rows not counted. */
    int length();

    /** The gold class index, or -1 when unlabelled. */
    int label();

    /** The question the example answers, for tasks scored per question; {@code null} otherwise. */
    Example.Group group();
}
