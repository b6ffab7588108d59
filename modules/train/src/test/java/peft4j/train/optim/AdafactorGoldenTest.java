package peft4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Adafactor against Hugging Face transformers 4.30.2, every step, parameters and second-moment state. */
class AdafactorGoldenTest {

    private static final Tolerance GOLDEN = new Tolerance(1e-5, 1e-5);
    private static final Map<String, Double> MAX_DIFFS = new TreeMap<>();

    private final AdafactorTrajectory golden = AdafactorTrajectory.load();
    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @AfterAll
    static void reportDiffs() {
        MAX_DIFFS.forEach((what, diff) -> System.out.printf("max |diff| %-40s %.3e%n", what, diff));
    }

    @Test
    void factoredRunMatchesHuggingFaceForAllParametersAndStatesAtEveryStep() {
        Map<String, List<String>> slots = new LinkedHashMap<>();
        slots.put("w2d", List.of(Adafactor.ROW, Adafactor.COLUMN));
        slots.put("w1d", List.of(Adafactor.FULL));
        slots.put("prompt", List.of(Adafactor.ROW, Adafactor.COLUMN));
        try (Adafactor optimizer = Adafactor.builder().build()) {
            runAndCompare(optimizer, slots, Map.of("w2d", "w2d", "w1d", "w1d", "prompt", "prompt"));
        }
    }

    @Test
    void unfactoredRunMatchesHuggingFaceOnTheFlattenedPrompt() {
        try (Adafactor optimizer = Adafactor.builder().optFactored(false).build()) {
            runAndCompare(optimizer, Map.of("prompt", List.of(Adafactor.FULL)), Map.of("prompt", "prompt_unfactored"));
        }
    }

    /** One optimizer updating every parameter each step, as HF's single parameter group does. */
    private void runAndCompare(Adafactor optimizer, Map<String, List<String>> slots, Map<String, String> runs) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        slots.keySet().forEach(p -> weights.put(p, trainable(golden.init(p), golden.shape(p))));
        for (int t = 1; t <= AdafactorTrajectory.STEPS; t++) {
            for (String p : weights.keySet()) {
                try (NDArray grad = manager.create(golden.grad(p, t), new Shape(golden.shape(p)))) {
                    optimizer.update(p, weights.get(p), grad);
                }
            }
            OptimizerState state = optimizer.exportState();
            for (String p : weights.keySet()) {
                String run = runs.get(p);
                record(run + " params", GOLDEN.check(run + " params after step " + t,
                        weights.get(p).toFloatArray(), golden.paramsAfter(run, t)));
                for (String slot : slots.get(p)) {
                    record(run + " " + slot, GOLDEN.check(run + " " + slot + " after step " + t,
                            state.parameters().get(p).slots().get(slot).values(), golden.stateAfter(run, slot, t)));
                }
                assertThat(optimizer.stepCount(p)).isEqualTo(t);
            }
        }
    }

    private NDArray trainable(float[] values, long[] shape) {
        NDArray array = manager.create(values, new Shape(shape));
        array.setRequiresGradient(true);
        return array;
    }

    private static void record(String what, double diff) {
        MAX_DIFFS.merge(what, diff, Math::max);
    }
}
