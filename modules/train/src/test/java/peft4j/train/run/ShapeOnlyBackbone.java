package peft4j.train.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import peft4j.api.Backbone;
import peft4j.api.BackboneSpec;
import peft4j.api.EncoderOutput;
import peft4j.api.ForwardHooks;
import peft4j.api.TokenBatch;

/**
 * A backbone that only has a shape: enough to attach methods that create their tensors from the spec (random
 * initialisation) and to save and load their adapters, for models this module cannot run (t5-tiny's shape).
 */
record ShapeOnlyBackbone(BackboneSpec spec, NDManager manager) implements Backbone {

    /** ../shared/golden/t5-tiny-v1_1: d_model 64, 2 encoder and 2 decoder layers, 4 heads of 16. */
    static final BackboneSpec T5_TINY = new BackboneSpec("t5", 128, 64, 2, 2, 4, 16, 512, 0);

    @Override
    public Map<String, NDArray> weights() {
        return Map.of();
    }

    @Override
    public NDArray inputEmbeddings() {
        throw new UnsupportedOperationException("shape-only backbone");
    }

    @Override
    public EncoderOutput encode(TokenBatch batch, ForwardHooks hooks) {
        throw new UnsupportedOperationException("shape-only backbone");
    }

    @Override
    public NDArray lmLogits(NDArray hiddenRows) {
        throw new UnsupportedOperationException("shape-only backbone");
    }

    @Override
    public void close() {
    }
}
