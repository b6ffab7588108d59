package peft4j.train.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import java.util.List;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;
import peft4j.train.head.EncodedExample;
import peft4j.train.head.TaskHead;
import peft4j.train.optim.OptimizerState;

/** One optimizer step on one batch: forward through the hooks, backward to the adapter's tensors, update. */
public final class TrainingStep {

    /**
     * Adapters with up to this many tunable values have each tensor and the optimizer's whole state (which grows with
     * the adapter) copied before an update, so that a failed update can be undone.
     */
    private static final long RETRY_LIMIT = 4_000_000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingStep.class);

    private final Backbone backbone;
    private final Adapter adapter;
    private final TaskHead head;
    private final ParameterOptimizer optimizer;

    public TrainingStep(Backbone backbone, Adapter adapter, TaskHead head, ParameterOptimizer optimizer) {
        this.backbone = backbone;
        this.adapter = adapter;
        this.head = head;
        this.optimizer = optimizer;
    }

    /** Runs the step and returns the loss; every array it creates is freed with its scope. */
    public float run(List<? extends EncodedExample> batch) {
        for (int attempt = 1; ; attempt++) {
            try (NDScope scope = new NDScope()) {
                float loss = forwardBackward(batch);
                String problem = !Float.isFinite(loss) ? "the loss became " + loss : nonFiniteGradient();
                if (problem == null) {
                    for (NamedTensor t : adapter.trainableTensors()) {
                        update(t, t.array().getGradient());
                    }
                    return loss;
                }
                if (attempt == 2) {
                    throw new NonFiniteLoss(problem);
                }
                // See update(): a second, identical pass has so far always been finite.
                LOG.warn("{}; computing the step once more", problem);
            }
        }
    }

    private float forwardBackward(List<? extends EncodedExample> batch) {
        for (NamedTensor t : adapter.trainableTensors()) {
            // Custom optimizers get no zeroed gradients from DJL's PyTorch collector: clear them ourselves.
            // Filled, not subtracted from itself: a NaN left by a failed pass must not survive.
            t.array().getGradient().set(new NDIndex("..."), 0f);
        }
        try (GradientCollector collector = Engine.getEngine(backbone.manager().getEngine().getEngineName())
                .newGradientCollector()) {
            NDArray lossArray = head.loss(backbone, adapter, batch, backbone.manager());
            collector.backward(lossArray);
            return lossArray.getFloat();
        }
    }

    private String nonFiniteGradient() {
        for (NamedTensor t : adapter.trainableTensors()) {
            if (!isFinite(t.array().getGradient())) {
                return "the gradient of " + t.name() + " became NaN or infinite";
            }
        }
        return null;
    }

    /**
     * Updates one tensor. On rare occasions (3 of about 1,700 prompt-tuning steps on BERT-base, on a loaded 2-core
     * machine) a finite gradient has yielded a non-finite update; replaying the same steps from the last checkpoint
     * gave bit-identical losses and a finite update, so the cause is not the arithmetic. The update is then undone
     * and run once more before the run is stopped.
     */
    private void update(NamedTensor t, NDArray gradient) {
        if (adapter.tunableParameterCount() > RETRY_LIMIT) {
            // Too big to copy every step (model tuning, a reparameterised prefix): no second try. The snapshot below
            // holds the state of every tensor, so copying it per tensor would cost O(tensors x adapter size).
            optimizer.update(t.name(), t.array(), gradient);
            if (!isFinite(t.array())) {
                throw new NonFiniteLoss("the optimizer made " + t.name() + " NaN or infinite");
            }
            return;
        }
        float[] before = t.array().toFloatArray();
        OptimizerState state = optimizer.snapshot();
        for (int attempt = 1; ; attempt++) {
            optimizer.update(t.name(), t.array(), gradient);
            if (isFinite(t.array())) {
                if (attempt > 1) {
                    LOG.warn("the update of {} was not finite on the first try and was repeated", t.name());
                }
                return;
            }
            if (attempt == 2 || !isFinite(gradient)) {
                throw new NonFiniteLoss("the optimizer made " + t.name() + " NaN or infinite");
            }
            t.array().set(before);
            optimizer.restore(state);
        }
    }

    private static boolean isFinite(NDArray array) {
        try (NDArray sum = array.abs().sum()) {
            return Float.isFinite(sum.getFloat());
        }
    }

    /** The loss, a gradient or an updated tensor became NaN or infinite. */
    public static final class NonFiniteLoss extends UserError {
        NonFiniteLoss(String what) {
            super(what);
        }
    }
}
