package peft4j.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * A pre-trained language model that adaptation methods attach to. Its weights stay frozen unless a method (model
 * tuning) asks for all of them through {@link #weights()}.
 *
 * <p>The hook points are deliberately few: a method can rewrite the embedded input (prompt tuning), add key/value
 * prefixes to every attention layer (prefix tuning), or train the weights themselves (model tuning).
 */
public interface Backbone extends AutoCloseable {

    BackboneSpec spec();

    /** The manager that owns the weights; arrays a method creates for this backbone can live in a sub-manager. */
    NDManager manager();

    /** Every weight by its Hugging Face {@code state_dict} name, in a stable order. */
    Map<String, NDArray> weights();

    /** The word-embedding matrix {@code [vocab, hidden]}; soft prompts are often initialised from its rows. */
    NDArray inputEmbeddings();

    /**
     * Runs the encoder stack. Recording gradients is up to the caller (a DJL {@code GradientCollector}).
     *
     * @return the last hidden states and how input positions map to output positions after injection
     */
    EncoderOutput encode(TokenBatch batch, ForwardHooks hooks);

    /** The language-model head on selected hidden rows: {@code [n, hidden] -> [n, vocab]} logits. */
    NDArray lmLogits(NDArray hiddenRows);

    @Override
    void close();
}
