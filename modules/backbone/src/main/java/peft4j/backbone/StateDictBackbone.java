package peft4j.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.Map;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;

/**
 * What every backbone loaded from a Hugging Face state dict shares: its shape, the manager that owns its weights
 * (closing the backbone closes it), and the weights by their {@code state_dict} names.
 */
public abstract class StateDictBackbone implements Backbone {

    private final BackboneSpec spec;
    private final NDManager manager;
    private final Map<String, NDArray> weights;

    protected StateDictBackbone(BackboneSpec spec, NDManager manager, Map<String, NDArray> weights) {
        this.spec = spec;
        this.manager = manager;
        this.weights = Collections.unmodifiableMap(weights);
    }

    @Override
    public BackboneSpec spec() {
        return spec;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public Map<String, NDArray> weights() {
        return weights;
    }

    /** The weight called {@code name}. */
    protected NDArray w(String name) {
        return weights.get(name);
    }

    @Override
    public void close() {
        manager.close();
    }
}
