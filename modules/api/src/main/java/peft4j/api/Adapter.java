package peft4j.api;

import java.util.List;
import java.util.Optional;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SavedTensors;

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

    /**
     * The tensors written to the adapter file: by default the trainable ones. A method may save more (prefix
     * tuning's materialised prefixes beside the MLP that makes them) or lay a tensor out as PEFT does.
     */
    default List<NamedTensor> savedTensors() {
        return trainableTensors();
    }

    /**
     * Takes the values of a saved adapter (written from {@link #savedTensors()}, or by PEFT); by default each
     * trainable tensor takes the saved tensor of the same name and shape.
     */
    default void restore(Safetensors saved) {
        SavedTensors.copyInto(saved, trainableTensors());
    }

    /** How PEFT describes this adapter, when PEFT can load its saved tensors as they are; empty otherwise. */
    default Optional<PeftConfig> peftConfig() {
        return Optional.empty();
    }

    /**
     * True when the trainable tensors are the backbone's own weights (model tuning): the adapter is then saved as a
     * complete model directory, and evaluating it means loading that directory as the backbone. Every other method
     * must leave the backbone's weights untouched.
     */
    default boolean replacesBackboneWeights() {
        return false;
    }

    /** Exact count of tunable values (the sum of the trainable tensors' sizes). */
    default long tunableParameterCount() {
        return trainableTensors().stream().mapToLong(t -> t.array().size()).sum();
    }

    @Override
    void close();
}
