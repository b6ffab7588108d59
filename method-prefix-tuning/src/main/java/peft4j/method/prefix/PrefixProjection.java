package peft4j.method.prefix;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.Random;
import peft4j.api.NamedTensor;

/**
 * The reparameterisation of Li &amp; Liang (PEFT's {@code prefix_projection}): the prefix table is computed as
 * {@code tanh(E·W1ᵀ + b1)·W2ᵀ + b2} from an embedding E {@code [L, d]}; E, W1, b1, W2 and b2 train, the table is
 * derived. Tensor names are those of PEFT's {@code PrefixEncoder} (embedding, transform.0, transform.2), and the
 * linear weights are stored {@code [out, in]} like torch's.
 */
final class PrefixProjection {

    static final String PREFIX = "prefix_encoder.";

    private final List<NamedTensor> tensors;

    private PrefixProjection(List<NamedTensor> tensors) {
        this.tensors = tensors;
    }

    /** Initialised as torch does: the embedding N(0, 1), linear weights and biases U(±1/sqrt(fan_in)). */
    static PrefixProjection create(int length, int hidden, int projectionHidden, int width, Random random,
            NDManager manager) {
        return new PrefixProjection(List.of(
                tensor(PREFIX + "embedding.weight", normal(length * hidden, random), manager, length, hidden),
                tensor(PREFIX + "transform.0.weight", uniform(projectionHidden * hidden, hidden, random), manager,
                        projectionHidden, hidden),
                tensor(PREFIX + "transform.0.bias", uniform(projectionHidden, hidden, random), manager,
                        projectionHidden),
                tensor(PREFIX + "transform.2.weight", uniform(width * projectionHidden, projectionHidden, random),
                        manager, width, projectionHidden),
                tensor(PREFIX + "transform.2.bias", uniform(width, projectionHidden, random), manager, width)));
    }

    /** The exact number of values the projection trains. */
    static long parameterCount(long length, long hidden, long projectionHidden, long width) {
        return length * hidden + projectionHidden * hidden + projectionHidden + width * projectionHidden + width;
    }

    List<NamedTensor> tensors() {
        return tensors;
    }

    /** The prefix table {@code [L, width]}, recorded for autograd when gradients are being collected. */
    NDArray table() {
        NDArray hidden = Linear.linear(array(0), array(1), array(2)).singletonOrThrow().tanh();
        return Linear.linear(hidden, array(3), array(4)).singletonOrThrow();
    }

    private NDArray array(int index) {
        return tensors.get(index).array();
    }

    private static NamedTensor tensor(String name, float[] values, NDManager manager, long... shape) {
        NDArray array = manager.create(values, new Shape(shape));
        array.setName(name);
        array.setRequiresGradient(true);
        return new NamedTensor(name, array);
    }

    static float[] normal(int size, Random random) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] uniform(int size, int fanIn, Random random) {
        double bound = 1 / Math.sqrt(fanIn);
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) ((2 * random.nextDouble() - 1) * bound);
        }
        return values;
    }
}
