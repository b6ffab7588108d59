package peft4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** AdamW against torch.optim.AdamW's update rule, worked out in plain double arithmetic. */
class AdamWTest {

    private static final double LR = 0.1;
    private static final double WEIGHT_DECAY = 0.01;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPS = 1e-8;

    private static final double[] INIT = {0.5, -1.0, 2.0, 0.25};
    private static final double[][] GRADS = {{0.1, -0.2, 0.3, -4.0}, {-0.4, 0.05, 0.0, 2.0}};

    @Test
    void twoStepsMatchTorchAdamWComputedByHand() {
        double[] expected = handComputedAdamW();
        // Sanity of the hand computation: Adam's first step moves every weight by about lr against the gradient sign.
        assertThat(firstStepByHand(0)).isCloseTo(0.5 * (1 - LR * WEIGHT_DECAY) - LR, within(1e-6));

        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                AdamW optimizer = AdamW.builder().optLearningRate((float) LR).build()) {
            NDArray weight = manager.create(toFloats(INIT), new Shape(2, 2));
            weight.setRequiresGradient(true);
            for (double[] grad : GRADS) {
                optimizer.update("w", weight, manager.create(toFloats(grad), new Shape(2, 2)));
            }
            float[] actual = weight.toFloatArray();
            for (int i = 0; i < INIT.length; i++) {
                assertThat((double) actual[i]).as("w[" + i + "]").isCloseTo(expected[i], within(1e-6));
            }
            assertThat(optimizer.stepCount("w")).isEqualTo(2);
            assertThat(optimizer.exportState().parameters().get("w").slots())
                    .containsOnlyKeys(AdamW.FIRST_MOMENT, AdamW.SECOND_MOMENT);
        }
    }

    @Test
    void defaultsAreTorchDefaultsWithWeightDecayOfOneHundredth() {
        try (NDManager manager = Engine.getEngine("PyTorch").newBaseManager();
                AdamW optimizer = AdamW.builder().build()) {
            NDArray weight = manager.create(new float[] {1f}, new Shape(1));
            optimizer.update("w", weight, manager.create(new float[] {0.5f}, new Shape(1)));
            // Step 1: decay by lr * wd, then move by lr * g / (|g| + eps).
            double expected = 1.0 * (1 - 1e-3 * 0.01) - 1e-3 * 0.5 / (0.5 + 1e-8);
            assertThat((double) weight.toFloatArray()[0]).isCloseTo(expected, within(1e-7));
        }
    }

    /** torch.optim.AdamW (single-tensor path), one element at a time. */
    private static double[] handComputedAdamW() {
        double[] w = INIT.clone();
        double[] m = new double[w.length];
        double[] v = new double[w.length];
        for (int t = 1; t <= GRADS.length; t++) {
            double correction1 = 1 - Math.pow(BETA1, t);
            double correction2 = 1 - Math.pow(BETA2, t);
            for (int i = 0; i < w.length; i++) {
                double g = GRADS[t - 1][i];
                w[i] *= 1 - LR * WEIGHT_DECAY;
                m[i] = BETA1 * m[i] + (1 - BETA1) * g;
                v[i] = BETA2 * v[i] + (1 - BETA2) * g * g;
                w[i] -= LR / correction1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(correction2) + EPS);
            }
        }
        return w;
    }

    private static double firstStepByHand(int i) {
        double g = GRADS[0][i];
        double m = (1 - BETA1) * g;
        double v = (1 - BETA2) * g * g;
        return INIT[i] * (1 - LR * WEIGHT_DECAY) - LR / (1 - BETA1) * m / (Math.sqrt(v) / Math.sqrt(1 - BETA2) + EPS);
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }
}
