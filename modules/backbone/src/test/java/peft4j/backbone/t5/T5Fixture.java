package peft4j.backbone.t5;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import peft4j.api.TokenBatch;
import peft4j.api.io.Safetensors;
import peft4j.backbone.Golden;

/** One golden T5 folder's {@code io.safetensors}, read into arrays of a test's manager, and the comparison rule. */
final class T5Fixture {

    static final double HIDDEN_ATOL = 1e-4;
    static final double HIDDEN_RTOL = 1e-4;
    static final double LOGIT_ATOL = 2e-4;
    static final double LOGIT_RTOL = 1e-4;
    static final double LOSS_ATOL = 1e-4;
    static final double LOSS_RTOL = 1e-5;
    static final double GRAD_ATOL = 1e-5;
    static final double GRAD_RTOL = 1e-3;

    final String name;
    final Safetensors io;

    T5Fixture(String name) {
        this.name = name;
        this.io = Safetensors.open(Golden.dir(name).resolve("io.safetensors"));
    }

    /** The tiny model every T5 fixture was computed with. */
    static Path modelDir(String version) {
        return Golden.dir(version);
    }

    NDArray array(String tensor, NDManager manager) {
        return io.toNDArray(tensor, manager);
    }

    float[] floats(String tensor) {
        return io.floats(tensor);
    }

    /** input_ids and attention_mask; T5 has no segments, so the type ids are zeros. */
    TokenBatch batch(NDManager manager) {
        NDArray ids = array("input_ids", manager);
        return new TokenBatch(ids, array("attention_mask", manager), manager.zeros(ids.getShape(), DataType.INT64));
    }

    Shape shape(String tensor) {
        return new Shape(io.info(tensor).shape());
    }

    /**
     * Asserts {@code |a − b| ≤ atol + rtol·|b|} everywhere and prints the largest {@code |a − b|}, which the
     * report quotes.
     */
    void assertClose(String engine, String what, float[] actual, float[] expected, double atol, double rtol) {
        assertThat(actual).as(what + " length").hasSize(expected.length);
        double maxDiff = 0;
        double worstExcess = Double.NEGATIVE_INFINITY;
        int worstAt = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            maxDiff = Math.max(maxDiff, Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff);
            double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - (atol + rtol * Math.abs(expected[i]));
            if (excess > worstExcess) {
                worstExcess = excess;
                worstAt = i;
            }
        }
        System.out.printf("golden %s [%s] %s: max |diff| = %.3g%n", name, engine, what, maxDiff);
        assertThat(worstExcess).as("%s %s [%s]: worst at %d (actual %s, expected %s)", name, what, engine, worstAt,
                actual[worstAt], expected[worstAt]).isLessThanOrEqualTo(0);
    }

    void assertClose(String engine, String what, NDArray actual, String expected, double atol, double rtol) {
        assertThat(actual.getShape()).as(what + " shape").isEqualTo(shape(expected));
        assertClose(engine, what, actual.toFloatArray(), floats(expected), atol, rtol);
    }
}
