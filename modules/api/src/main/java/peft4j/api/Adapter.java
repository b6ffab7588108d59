package peft4j.api;

import java.util.List;

/** A method attached to one backbone: what it trains and how it changes the forward pass. */
public interface Adapter extends AutoCloseable {

    /** The name of the method that made this adapter. */
    String methodName();

    /** The tensors that receive gradient updates; empty for methods with nothing to train. */
    List<NamedTensor> trainableTensors();

    /** The hooks to pass to {@link Backbone#encode}. */
    ForwardHooks hooks();

    /**
     * Rewrites the task text before tokenisation (e.g. prompt design prepends demonstrations); most methods leave it.
     */
    default String transformText(String filledTemplate) {
        return filledTemplate;
    }

    /** Input positions the adapter adds to every example (a soft prompt's length), so texts can be cut to fit. */
    default int insertedPositions() {
        return 0;
    }

    /** The method's configuration, as it was attached (saved with the adapter). */
    MethodConfig config();

    /** Exact count of tunable values (the sum of the trainable tensors' sizes). */
    default long tunableParameterCount() {
        return trainableTensors().stream().mapToLong(t -> t.array().size()).sum();
    }

    @Override
    void close();
}
