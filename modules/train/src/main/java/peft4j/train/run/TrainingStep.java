package peft4j.train.run;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import java.util.List;
import peft4j.api.Adapter;
import peft4j.api.Backbone;
import peft4j.api.NamedTensor;
import peft4j.api.UserError;
import peft4j.train.head.ClozeHead;

/** One optimizer step on one batch: forward through the hooks, backward to the adapter's tensors, update. */
public final class TrainingStep {

    private final Backbone backbone;
    private final Adapter adapter;
    private final ClozeHead head;
    private final ParameterOptimizer optimizer;

    public TrainingStep(Backbone backbone, Adapter adapter, ClozeHead head, ParameterOptimizer optimizer) {
        this.backbone = backbone;
        this.adapter = adapter;
        this.head = head;
        this.optimizer = optimizer;
    }

    /** Runs the step and returns the loss; every array it creates is freed with its scope. */
    public float run(List<ClozeHead.Encoded> batch) {
        int[] gold = batch.stream().mapToInt(ClozeHead.Encoded::label).toArray();
        try (NDScope scope = new NDScope()) {
            for (NamedTensor t : adapter.trainableTensors()) {
                // Custom optimizers get no zeroed gradients from DJL's PyTorch collector: clear them ourselves.
                NDArray gradient = t.array().getGradient();
                gradient.subi(gradient);
            }
            float loss;
            try (GradientCollector collector = Engine.getEngine(backbone.manager().getEngine().getEngineName())
                    .newGradientCollector()) {
                NDArray logits = head.labelLogits(backbone, adapter, batch, backbone.manager());
                NDArray lossArray = ClozeHead.loss(logits, gold);
                collector.backward(lossArray);
                loss = lossArray.getFloat();
            }
            if (!Float.isFinite(loss)) {
                throw new NonFiniteLoss("the loss became " + loss);
            }
            for (NamedTensor t : adapter.trainableTensors()) {
                NDArray gradient = t.array().getGradient();
                if (!isFinite(gradient)) {
                    throw new NonFiniteLoss("the gradient of " + t.name() + " became NaN or infinite");
                }
                optimizer.update(t.name(), t.array(), gradient);
                if (!isFinite(t.array())) {
                    throw new NonFiniteLoss("the optimizer made " + t.name() + " NaN or infinite");
                }
            }
            return loss;
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
