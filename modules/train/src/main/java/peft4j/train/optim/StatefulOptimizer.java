package peft4j.train.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A DJL {@link Optimizer} that keeps per-parameter state (moment estimates and a step count) in an {@link NDManager}
 * of its own, and can export and import that state for checkpoints.
 *
 * <p>Call {@link #update(String, NDArray, NDArray)} directly, once per parameter and step; no Trainer or
 * ParameterStore is needed. The weight is changed in place (same NDArray object, still requiring gradient) without
 * gradient recording; the gradient is only read (it is neither zeroed nor changed). The state manager is a
 * sub-manager of the one given to the builder, or else of the first weight's manager; state arrays are unregistered
 * from any open {@link NDScope}, so running steps inside scopes is safe, and every temporary of an update is closed
 * before it returns. All parameters must be float32 and live on one device. Not thread-safe.
 *
 * <p>{@code setRescaleGrad} and {@code optClipGrad} of DJL's builder are honoured (applied to the gradient first);
 * {@code optWeightDecays} sets the algorithm's weight decay; {@code optBeginNumUpdate} has no effect: step counts
 * come from {@link #importState}.
 */
public abstract sealed class StatefulOptimizer extends Optimizer implements AutoCloseable permits Adafactor, AdamW {

    private final String algorithm;
    private final ParameterTracker learningRate;
    private final NDManager stateParent;
    private final Map<String, ParameterState> live = new LinkedHashMap<>();
    private final Map<String, OptimizerState.Parameter> imported = new LinkedHashMap<>();
    private NDManager stateManager;
    private boolean closed;

    StatefulOptimizer(String algorithm, BaseBuilder<?> builder) {
        super(builder);
        this.algorithm = algorithm;
        this.learningRate = builder.learningRate;
        this.stateParent = builder.stateParent;
    }

    /** What one update of one parameter works on. */
    record ParameterUpdate(NDArray weight, NDArray grad, Map<String, NDArray> state, long step, float learningRate) {
    }

    /** The state arrays a weight of this shape needs, by slot name, in a fixed order. */
    abstract Map<String, Shape> stateShapes(Shape weightShape);

    /**
     * Applies one step: writes {@code update.weight()} and the state arrays in place. The gradient must only be
     * read; every non-in-place result goes through {@code scratch.own}.
     */
    abstract void apply(ParameterUpdate update, Scratch scratch);

    /** The algorithm name recorded in exported state. */
    public String algorithm() {
        return algorithm;
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        if (closed) {
            throw new IllegalStateException(algorithm + " optimizer is closed");
        }
        check(parameterId, weight, grad);
        ParameterState state = stateFor(parameterId, weight);
        long step = state.step + 1;
        float lr = learningRate.getNewValue(parameterId, Math.toIntExact(step));
        try (Scratch scratch = new Scratch(stateManager)) {
            apply(new ParameterUpdate(scratch.writableView(weight), prepare(grad, scratch), state.arrays, step, lr),
                    scratch);
        }
        state.step = step;
    }

    /** Gradient as float32, rescaled and clipped as DJL's builder options ask; the caller's array is not touched. */
    private NDArray prepare(NDArray grad, Scratch scratch) {
        NDArray g = grad.getDataType() == DataType.FLOAT32 ? grad : scratch.own(grad.toType(DataType.FLOAT32, false));
        if (rescaleGrad != 1f) {
            g = scratch.own(g.mul(rescaleGrad));
        }
        if (clipGrad > 0f) {
            g = scratch.own(g.clip(-clipGrad, clipGrad));
        }
        return g;
    }

    private static void check(String parameterId, NDArray weight, NDArray grad) {
        if (weight.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("parameter '" + parameterId + "' is " + weight.getDataType()
                    + "; these optimizers update float32 weights only");
        }
        if (!weight.getShape().equals(grad.getShape())) {
            throw new IllegalArgumentException("gradient of '" + parameterId + "' has shape " + grad.getShape()
                    + " but the weight has " + weight.getShape());
        }
    }

    private ParameterState stateFor(String parameterId, NDArray weight) {
        ParameterState existing = live.get(parameterId);
        if (existing != null) {
            return existing;
        }
        Map<String, Shape> shapes = stateShapes(weight.getShape());
        OptimizerState.Parameter saved = imported.get(parameterId);
        if (saved != null) {
            requireMatching(parameterId, saved, shapes);
        }
        NDManager manager = stateManager(weight);
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        shapes.forEach((slot, shape) -> {
            NDArray array = saved == null
                    ? manager.zeros(shape, DataType.FLOAT32)
                    : manager.create(saved.slots().get(slot).values(), shape);
            // Steps usually run inside an NDScope, which would otherwise close the state with the step's temporaries.
            NDScope.unregister(array);
            arrays.put(slot, array);
        });
        imported.remove(parameterId);
        ParameterState created = new ParameterState(saved == null ? 0 : saved.step(), arrays);
        live.put(parameterId, created);
        return created;
    }

    private void requireMatching(String parameterId, OptimizerState.Parameter saved, Map<String, Shape> shapes) {
        boolean same = saved.slots().keySet().equals(shapes.keySet())
                && shapes.entrySet().stream().allMatch(e ->
                        Arrays.equals(saved.slots().get(e.getKey()).shape(), e.getValue().getShape()));
        if (!same) {
            Map<String, String> savedShapes = new LinkedHashMap<>();
            saved.slots().forEach((slot, value) -> savedShapes.put(slot, Arrays.toString(value.shape())));
            throw new IllegalStateException("saved " + algorithm + " state of '" + parameterId + "' has slots "
                    + savedShapes + " but this parameter needs " + shapes
                    + " (resumed with a different parameter shape or optimizer setting?)");
        }
    }

    private NDManager stateManager(NDArray weight) {
        if (stateManager == null) {
            NDManager parent = stateParent != null ? stateParent : weight.getManager();
            stateManager = parent.newSubManager(weight.getDevice());
        }
        return stateManager;
    }

    /** How many updates {@code parameterId} has had (counting imported ones); 0 if unknown. */
    public long stepCount(String parameterId) {
        ParameterState state = live.get(parameterId);
        if (state != null) {
            return state.step;
        }
        OptimizerState.Parameter saved = imported.get(parameterId);
        return saved == null ? 0 : saved.step();
    }

    /** A host copy of all state, including imported state of parameters not updated since. */
    public OptimizerState exportState() {
        Map<String, OptimizerState.Parameter> parameters = new LinkedHashMap<>();
        live.forEach((id, state) -> parameters.put(id, state.snapshot()));
        imported.forEach(parameters::putIfAbsent);
        return new OptimizerState(algorithm, parameters);
    }

    /**
     * Replaces all state with {@code state} (from {@link #exportState()}, possibly of another instance). Arrays are
     * created on each parameter's next update, where its shape is checked against the saved one.
     */
    public void importState(OptimizerState state) {
        Objects.requireNonNull(state, "state");
        if (!algorithm.equals(state.algorithm())) {
            throw new IllegalArgumentException("cannot import " + state.algorithm() + " state into a " + algorithm
                    + " optimizer");
        }
        live.values().forEach(ParameterState::close);
        live.clear();
        imported.clear();
        imported.putAll(state.parameters());
    }

    /** Frees the state arrays; the optimizer cannot be used afterwards. */
    @Override
    public void close() {
        closed = true;
        live.clear();
        imported.clear();
        if (stateManager != null) {
            stateManager.close();
        }
    }

    /** The live state of one parameter. */
    private static final class ParameterState {

        private long step;
        private final Map<String, NDArray> arrays;

        ParameterState(long step, Map<String, NDArray> arrays) {
            this.step = step;
            this.arrays = arrays;
        }

        OptimizerState.Parameter snapshot() {
            Map<String, OptimizerState.Slot> slots = new LinkedHashMap<>();
            arrays.forEach((slot, array) ->
                    slots.put(slot, new OptimizerState.Slot(array.getShape().getShape(), array.toFloatArray())));
            return new OptimizerState.Parameter(step, slots);
        }

        void close() {
            arrays.values().forEach(NDArray::close);
        }
    }

    /**
     * Options shared by the optimizers: learning rate (constant or a DJL tracker, asked with the parameter's
     * 1-based step) and the manager under which state lives.
     *
     * @param <T> the concrete builder
     */
    public abstract static class BaseBuilder<T extends BaseBuilder<T>> extends OptimizerBuilder<T> {

        private ParameterTracker learningRate;
        private NDManager stateParent;

        BaseBuilder(float defaultLearningRate, float defaultWeightDecay) {
            learningRate = Tracker.fixed(defaultLearningRate);
            optWeightDecays(defaultWeightDecay);
        }

        /** A constant learning rate. */
        public T optLearningRate(float learningRate) {
            this.learningRate = Tracker.fixed(learningRate);
            return self();
        }

        /** A learning-rate schedule, asked with the parameter id and its 1-based step number. */
        public T optLearningRateTracker(ParameterTracker tracker) {
            this.learningRate = Objects.requireNonNull(tracker, "tracker");
            return self();
        }

        /** The manager whose sub-manager holds the state (default: the first weight's manager). */
        public T optStateManager(NDManager parent) {
            this.stateParent = Objects.requireNonNull(parent, "parent");
            return self();
        }
    }
}
