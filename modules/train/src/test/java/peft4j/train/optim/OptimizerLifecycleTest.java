package peft4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.tracker.ParameterTracker;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import peft4j.api.io.Safetensors;
import peft4j.api.io.SafetensorsWriter;

/** What a trainer relies on, for both optimizers: in-place updates, state lifetime, no leaks, exact resume. */
class OptimizerLifecycleTest {

    /** Builds an optimizer given an optional learning-rate schedule (null: the default). */
    interface Factory extends Function<ParameterTracker, StatefulOptimizer> {
    }

    /** A matrix, a vector and a 3-D tensor, so factored, unfactored and batched-factored state are all exercised. */
    private static final Map<String, Shape> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("w2d", new Shape(5, 3));
        SHAPES.put("w1d", new Shape(7));
        SHAPES.put("w3d", new Shape(2, 4, 3));
    }

    private NDManager manager;

    static Stream<Named<Factory>> optimizers() {
        Factory adafactor = lr -> lr == null ? Adafactor.builder().build()
                : Adafactor.builder().optLearningRateTracker(lr).build();
        Factory adamw = lr -> lr == null ? AdamW.builder().optLearningRate(0.05f).build()
                : AdamW.builder().optLearningRateTracker(lr).build();
        return Stream.of(Named.of("Adafactor", adafactor), Named.of("AdamW", adamw));
    }

    @BeforeEach
    void openManager() {
        manager = Engine.getEngine("PyTorch").newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void stateSurvivesStepsRunInsideNDScopes(Factory factory) {
        Map<String, NDArray> scoped = weights(1);
        Map<String, NDArray> plain = weights(1);
        try (StatefulOptimizer inScopes = factory.apply(null); StatefulOptimizer outside = factory.apply(null)) {
            for (int t = 1; t <= 3; t++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    step(inScopes, scoped, t);
                }
                step(outside, plain, t);
            }
            // Reading the state fails if a scope closed it; it must also equal the state of a run without scopes.
            OptimizerState state = inScopes.exportState();
            assertThat(state.parameters()).containsOnlyKeys(SHAPES.keySet());
            SHAPES.keySet().forEach(p -> {
                assertThat(inScopes.stepCount(p)).isEqualTo(3);
                assertThat(scoped.get(p).toFloatArray()).containsExactly(plain.get(p).toFloatArray());
            });
            assertSameState(state, outside.exportState());
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void updatesLeaveNoTemporariesInTheStateOrTheWeightManager(Factory factory) {
        Map<String, NDArray> weights = weights(2);
        Map<String, NDArray> grads = new LinkedHashMap<>();
        SHAPES.forEach((p, shape) -> grads.put(p, randomArray(shape, new Random(p.hashCode()))));
        int weightsAndGrads = manager.getManagedArrays().size();
        try (StatefulOptimizer optimizer = factory.apply(null)) {
            for (int t = 1; t <= 4; t++) {
                weights.forEach((p, w) -> optimizer.update(p, w, grads.get(p)));
            }
            long slots = optimizer.exportState().parameters().values().stream()
                    .mapToLong(parameter -> parameter.slots().size()).sum();
            // The state lives in a sub-manager of the weights' manager: only the state arrays may have been added.
            assertThat(manager.getManagedArrays()).hasSize(weightsAndGrads + (int) slots);
        }
        assertThat(manager.getManagedArrays()).hasSize(weightsAndGrads);
    }

    @Test
    void stateLivesUnderTheManagerGivenToTheBuilder() {
        NDManager stateParent = manager.newSubManager();
        NDArray weight = weights(3).get("w2d");
        try (Adafactor optimizer = Adafactor.builder().optStateManager(stateParent).build()) {
            optimizer.update("w2d", weight, randomArray(weight.getShape(), new Random(3)));
            optimizer.update("w2d", weight, randomArray(weight.getShape(), new Random(4)));
            assertThat(stateParent.getManagedArrays()).hasSize(2);
        }
        assertThat(stateParent.getManagedArrays()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void updateWritesTheSameWeightInPlaceEvenWhileRecordingAndKeepsItTrainable(Factory factory) {
        NDArray weight = weights(4).get("w2d");
        float[] before = weight.toFloatArray();
        float[] gradBefore;
        try (StatefulOptimizer optimizer = factory.apply(null)) {
            try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                collector.backward(weight.square().sum());
                // Grad mode is on here: a plain in-place op on this leaf would be refused by PyTorch.
                optimizer.update("w2d", weight, weight.getGradient());
            }
            assertThat(weight.toFloatArray()).isNotEqualTo(before);
            assertThat(weight.hasGradient()).isTrue();
            gradBefore = weight.getGradient().toFloatArray();
        }
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
            collector.backward(weight.mul(2f).sum());
        }
        // Gradients still reach the very same weight (DJL's PyTorch collector accumulates: +2 per element).
        float[] gradAfter = weight.getGradient().toFloatArray();
        for (int i = 0; i < gradAfter.length; i++) {
            assertThat(gradAfter[i] - gradBefore[i]).isCloseTo(2f, within(1e-5f));
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void gradientIsOnlyRead(Factory factory) {
        NDArray weight = weights(5).get("w2d");
        NDArray grad = randomArray(weight.getShape(), new Random(6));
        float[] original = grad.toFloatArray();
        try (StatefulOptimizer optimizer = factory.apply(null)) {
            optimizer.update("w2d", weight, grad);
            optimizer.update("w2d", weight, grad);
        }
        assertThat(grad.toFloatArray()).containsExactly(original);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void resumingFromSavedStateIsBitIdenticalToAnUninterruptedRun(Factory factory, @TempDir Path dir)
            throws IOException {
        // A step-dependent schedule, so a resume that lost the step counts would diverge.
        ParameterTracker schedule = (parameterId, step) -> 0.3f / step;
        Map<String, NDArray> straight = weights(7);
        try (StatefulOptimizer optimizer = factory.apply(schedule)) {
            for (int t = 1; t <= 6; t++) {
                step(optimizer, straight, t);
            }
        }

        Map<String, NDArray> interrupted = weights(7);
        Path checkpoint = dir.resolve("optimizer.safetensors");
        try (StatefulOptimizer optimizer = factory.apply(schedule)) {
            for (int t = 1; t <= 3; t++) {
                step(optimizer, interrupted, t);
            }
            OptimizerState saved = optimizer.exportState();
            SafetensorsWriter.write(checkpoint, saved.toTensors(), saved.metadata());
        }
        Map<String, NDArray> resumed = new LinkedHashMap<>();
        interrupted.forEach((p, w) -> resumed.put(p, trainable(w.toFloatArray(), w.getShape())));
        try (StatefulOptimizer optimizer = factory.apply(schedule)) {
            optimizer.importState(OptimizerState.fromSafetensors(Safetensors.open(checkpoint)));
            SHAPES.keySet().forEach(p -> assertThat(optimizer.stepCount(p)).isEqualTo(3));
            for (int t = 4; t <= 6; t++) {
                step(optimizer, resumed, t);
            }
            SHAPES.keySet().forEach(p -> {
                assertThat(optimizer.stepCount(p)).isEqualTo(6);
                assertThat(resumed.get(p).toFloatArray()).as(p).containsExactly(straight.get(p).toFloatArray());
            });
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void exportedStateCanBeImportedAgainBeforeAnyUpdate(Factory factory) {
        Map<String, NDArray> weights = weights(8);
        try (StatefulOptimizer first = factory.apply(null); StatefulOptimizer second = factory.apply(null)) {
            step(first, weights, 1);
            second.importState(first.exportState());
            assertSameState(second.exportState(), first.exportState());
        }
    }

    @Test
    void importRejectsStateOfAnotherAlgorithm() {
        NDArray weight = weights(9).get("w1d");
        try (Adafactor adafactor = Adafactor.builder().build(); AdamW adamw = AdamW.builder().build()) {
            adafactor.update("w1d", weight, randomArray(weight.getShape(), new Random(1)));
            OptimizerState state = adafactor.exportState();
            assertThatThrownBy(() -> adamw.importState(state))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adafactor");
        }
    }

    @Test
    void resumingWithAnotherParameterShapeOrFactoringFailsLoudly() {
        NDArray weight = weights(10).get("w2d");
        OptimizerState state;
        try (Adafactor optimizer = Adafactor.builder().build()) {
            optimizer.update("w2d", weight, randomArray(weight.getShape(), new Random(1)));
            state = optimizer.exportState();
        }
        try (Adafactor resized = Adafactor.builder().build();
                Adafactor unfactored = Adafactor.builder().optFactored(false).build()) {
            resized.importState(state);
            NDArray wider = trainable(new float[20], new Shape(5, 4));
            assertThatThrownBy(() -> resized.update("w2d", wider, randomArray(wider.getShape(), new Random(2))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("w2d");
            unfactored.importState(state);
            assertThatThrownBy(() -> unfactored.update("w2d", weight, randomArray(weight.getShape(), new Random(3))))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining(Adafactor.FULL);
        }
    }

    private void step(StatefulOptimizer optimizer, Map<String, NDArray> weights, int t) {
        weights.forEach((p, w) -> {
            try (NDArray grad = randomArray(w.getShape(), new Random(31L * t + p.hashCode()))) {
                optimizer.update(p, w, grad);
            }
        });
    }

    private Map<String, NDArray> weights(long seed) {
        Random random = new Random(seed);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        SHAPES.forEach((p, shape) -> {
            NDArray w = randomArray(shape, random);
            w.setRequiresGradient(true);
            weights.put(p, w);
        });
        return weights;
    }

    private NDArray randomArray(Shape shape, Random random) {
        float[] values = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return manager.create(values, shape);
    }

    private NDArray trainable(float[] values, Shape shape) {
        NDArray array = manager.create(values, shape);
        array.setRequiresGradient(true);
        return array;
    }

    private static void assertSameState(OptimizerState actual, OptimizerState expected) {
        assertThat(actual.algorithm()).isEqualTo(expected.algorithm());
        assertThat(actual.parameters()).containsOnlyKeys(expected.parameters().keySet());
        expected.parameters().forEach((p, parameter) -> {
            OptimizerState.Parameter other = actual.parameters().get(p);
            assertThat(other.step()).isEqualTo(parameter.step());
            assertThat(other.slots()).containsOnlyKeys(parameter.slots().keySet());
            parameter.slots().forEach((slot, value) -> {
                assertThat(other.slots().get(slot).shape()).containsExactly(value.shape());
                assertThat(other.slots().get(slot).values()).as(p + "/" + slot).containsExactly(value.values());
            });
        });
    }
}
