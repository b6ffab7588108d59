package peft4j.train.run;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import peft4j.api.UserError;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;
import peft4j.train.optim.Adafactor;
import peft4j.train.optim.AdamW;
import peft4j.train.optim.OptimizerState;
import peft4j.train.optim.StatefulOptimizer;

/** The optimizer as the trainer uses it: update a named tensor in place, and save/restore its state for resuming. */
public final class ParameterOptimizer implements AutoCloseable {

    private final StatefulOptimizer optimizer;

    private ParameterOptimizer(StatefulOptimizer optimizer) {
        this.optimizer = optimizer;
    }

    /** {@code adafactor} (the paper's recipe: no momentum, factored second moments, clip 1.0, decay 1e-5) or {@code adamw}. */
    public static ParameterOptimizer create(String name, double learningRate) {
        return switch (name) {
            case "adafactor" -> new ParameterOptimizer(Adafactor.builder().optLearningRate((float) learningRate).build());
            case "adamw" -> new ParameterOptimizer(AdamW.builder().optLearningRate((float) learningRate).build());
            default -> throw new UserError("unknown optimizer '" + name + "'; choose adafactor or adamw");
        };
    }

    public void update(String name, NDArray weight, NDArray gradient) {
        optimizer.update(name, weight, gradient);
    }

    /** The optimizer's state now, to {@link #restore} after a failed update. */
    public OptimizerState snapshot() {
        return optimizer.exportState();
    }

    public void restore(OptimizerState state) {
        optimizer.importState(state);
    }

    public void saveState(Path file) throws IOException {
        OptimizerState state = optimizer.exportState();
        SafetensorsWriter.write(file, state.toTensors(), state.metadata());
    }

    public void loadState(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("the checkpoint lacks " + file.getFileName() + "; it cannot be resumed");
        }
        optimizer.importState(OptimizerState.fromSafetensors(Safetensors.open(file)));
    }

    @Override
    public void close() {
        optimizer.close();
    }
}
