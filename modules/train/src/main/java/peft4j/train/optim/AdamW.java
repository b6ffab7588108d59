package peft4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} (amsgrad off). Defaults: learning rate 1e-3,
 * betas 0.9 / 0.999, epsilon 1e-8, weight decay 0.01.
 *
 * <p>Per parameter, with step t = 1, 2, ...: {@code w *= 1 - lr * weightDecay};
 * {@code m = beta1 * m + (1 - beta1) * g}; {@code v = beta2 * v + (1 - beta2) * g * g};
 * {@code w -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + epsilon)}.
 */
public final class AdamW extends StatefulOptimizer {

    /** The algorithm name in exported state. */
    public static final String ALGORITHM = "adamw";

    static final String FIRST_MOMENT = "exp_avg";
    static final String SECOND_MOMENT = "exp_avg_sq";

    private final double beta1;
    private final double beta2;
    private final float epsilon;

    private AdamW(Builder builder) {
        super(ALGORITHM, builder);
        this.beta1 = builder.beta1;
        this.beta2 = builder.beta2;
        this.epsilon = builder.epsilon;
    }

    /** A builder with torch's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    Map<String, Shape> stateShapes(Shape weightShape) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        shapes.put(FIRST_MOMENT, weightShape);
        shapes.put(SECOND_MOMENT, weightShape);
        return shapes;
    }

    @Override
    void apply(ParameterUpdate update, Scratch scratch) {
        NDArray weight = update.weight();
        NDArray grad = update.grad();
        double lr = update.learningRate();
        float keep = (float) (1 - lr * getWeightDecay());
        if (keep != 1f) {
            weight.muli(keep);
        }
        NDArray m = update.state().get(FIRST_MOMENT);
        NDArray v = update.state().get(SECOND_MOMENT);
        m.muli((float) beta1).addi(scratch.own(grad.mul((float) (1 - beta1))));
        v.muli((float) beta2).addi(scratch.own(grad.square()).muli((float) (1 - beta2)));

        double correction1 = 1 - Math.pow(beta1, update.step());
        double correction2 = 1 - Math.pow(beta2, update.step());
        NDArray denominator = scratch.own(v.sqrt()).divi((float) Math.sqrt(correction2)).addi(epsilon);
        weight.subi(scratch.own(m.div(denominator)).muli((float) (lr / correction1)));
    }

    /** Builds an {@link AdamW}; see the class comment for the defaults. */
    public static final class Builder extends BaseBuilder<Builder> {

        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private float epsilon = 1e-8f;

        private Builder() {
            super(1e-3f, 0.01f);
        }

        /** Decay of the first-moment average. */
        public Builder optBeta1(double beta1) {
            this.beta1 = requireUnitInterval("beta1", beta1);
            return this;
        }

        /** Decay of the second-moment average. */
        public Builder optBeta2(double beta2) {
            this.beta2 = requireUnitInterval("beta2", beta2);
            return this;
        }

        /** Added to the bias-corrected root second moment. */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        private static double requireUnitInterval(String name, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
            }
            return value;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public AdamW build() {
            return new AdamW(this);
        }
    }
}
