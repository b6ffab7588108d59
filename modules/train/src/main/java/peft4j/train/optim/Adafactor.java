package peft4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adafactor (Shazeer &amp; Stern, 2018) exactly as Hugging Face transformers 4.30.2 runs it with
 * {@code beta1=None, scale_parameter=False, relative_step=False, warmup_init=False}: the prompt-tuning recipe of
 * Lester et al. (2021). Defaults: learning rate 0.3, weight decay 1e-5, clip threshold 1.0, decay rate -0.8,
 * epsilon 1e-30, factored.
 *
 * <p>Per parameter, with step t = 1, 2, ...: {@code beta2 = 1 - t^decayRate}; the second moment of
 * {@code g*g + epsilon} is averaged with beta2, either factored (a row and a column mean over the last two dims,
 * {@code v = outer(R / mean(R), C)}) or in full; the step {@code g / sqrt(v)} is divided by
 * {@code max(1, RMS(step) / clipThreshold)} and scaled by the learning rate; the weight first decays by
 * {@code weightDecay * lr * w} and then moves by the step. There is no first moment.
 *
 * <p>{@code factored=true} is HF: every tensor of two or more dims is factored over its last two, whatever their size.
 * Mesh-TF/T5X/optax factor only when the second-largest dim is at least 128, so a short prompt is not factored
 * there; {@code factored=false} gives that behaviour for such prompts.
 */
public final class Adafactor extends StatefulOptimizer {

    /** The algorithm name in exported state. */
    public static final String ALGORITHM = "adafactor";

    static final String ROW = "exp_avg_sq_row";
    static final String COLUMN = "exp_avg_sq_col";
    static final String FULL = "exp_avg_sq";

    private final float clipThreshold;
    private final double decayRate;
    private final float epsilon;
    private final boolean factored;

    private Adafactor(Builder builder) {
        super(ALGORITHM, builder);
        this.clipThreshold = builder.clipThreshold;
        this.decayRate = builder.decayRate;
        this.epsilon = builder.epsilon;
        this.factored = builder.factored;
    }

    /** A builder with the prompt-tuning defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    Map<String, Shape> stateShapes(Shape weightShape) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        int dims = weightShape.dimension();
        if (factored && dims >= 2) {
            shapes.put(ROW, weightShape.slice(0, dims - 1));
            shapes.put(COLUMN, weightShape.slice(0, dims - 2).add(weightShape.get(dims - 1)));
        } else {
            shapes.put(FULL, weightShape);
        }
        return shapes;
    }

    @Override
    void apply(ParameterUpdate update, Scratch scratch) {
        double beta2 = 1 - Math.pow(update.step(), decayRate);
        NDArray grad = update.grad();
        NDArray squared = scratch.own(grad.square()).addi(epsilon);
        Map<String, NDArray> state = update.state();
        NDArray rootV = state.containsKey(FULL)
                ? unfactoredRoot(squared, state.get(FULL), beta2, scratch)
                : factoredRoot(squared, state.get(ROW), state.get(COLUMN), beta2, scratch);

        NDArray step = scratch.own(grad.div(rootV));
        // Clip by the step's RMS (L2 norm over sqrt(numel)); the divisor stays on the device, no host round trip.
        NDArray rms = scratch.own(step.norm()).divi((float) Math.sqrt(step.size()));
        NDArray divisor = scratch.own(rms.divi(clipThreshold).maximum(1f));
        step.divi(divisor).muli(update.learningRate());

        NDArray weight = update.weight();
        float decay = (float) ((double) getWeightDecay() * update.learningRate());
        if (decay != 0f) {
            // HF decays by weight_decay * lr, decoupled from the gradient step and applied before it.
            weight.subi(scratch.own(weight.mul(decay)));
        }
        weight.subi(step);
    }

    private static NDArray unfactoredRoot(NDArray squared, NDArray full, double beta2, Scratch scratch) {
        movingAverage(full, squared, beta2);
        return scratch.own(full.sqrt());
    }

    private static NDArray factoredRoot(NDArray squared, NDArray row, NDArray column, double beta2, Scratch scratch) {
        movingAverage(row, scratch.own(squared.mean(new int[] {-1})), beta2);
        movingAverage(column, scratch.own(squared.mean(new int[] {-2})), beta2);
        // v = outer(R / mean(R), C), so sqrt(v) = outer(sqrt(R / mean(R)), sqrt(C)).
        NDArray rowShare = scratch.own(row.div(scratch.own(row.mean(new int[] {-1}, true))));
        NDArray rowRoot = scratch.own(scratch.own(rowShare.sqrt()).expandDims(-1));
        NDArray columnRoot = scratch.own(scratch.own(column.sqrt()).expandDims(-2));
        return scratch.own(rowRoot.mul(columnRoot));
    }

    /** {@code average = beta2 * average + (1 - beta2) * fresh}, in place; {@code fresh} is a temporary it overwrites. */
    private static void movingAverage(NDArray average, NDArray fresh, double beta2) {
        average.muli((float) beta2).addi(fresh.muli((float) (1 - beta2)));
    }

    /** Builds an {@link Adafactor}; see the class comment for the defaults. */
    public static final class Builder extends BaseBuilder<Builder> {

        private float clipThreshold = 1.0f;
        private double decayRate = -0.8;
        private float epsilon = 1e-30f;
        private boolean factored = true;

        private Builder() {
            super(0.3f, 1e-5f);
        }

        /** The update's RMS above which it is scaled down (HF {@code clip_threshold}). */
        public Builder optClipThreshold(float clipThreshold) {
            if (!(clipThreshold > 0)) {
                throw new IllegalArgumentException("clip threshold must be positive, got " + clipThreshold);
            }
            this.clipThreshold = clipThreshold;
            return this;
        }

        /**
         * The exponent of the beta2 schedule {@code 1 - t^decayRate}, with HF's sign: -0.8 (Mesh-TF/T5X/optax
         * write the same schedule as 0.8).
         */
        public Builder optDecayRate(double decayRate) {
            if (!(decayRate < 0)) {
                throw new IllegalArgumentException("decay rate uses Hugging Face's sign (beta2_t = 1 - t^decayRate),"
                        + " so it must be negative, e.g. -0.8; got " + decayRate);
            }
            this.decayRate = decayRate;
            return this;
        }

        /** Added to the squared gradient before averaging (HF {@code eps[0]}). */
        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** Whether tensors of two or more dims get factored second moments (HF: yes). */
        public Builder optFactored(boolean factored) {
            this.factored = factored;
            return this;
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Adafactor build() {
            return new Adafactor(this);
        }
    }
}
