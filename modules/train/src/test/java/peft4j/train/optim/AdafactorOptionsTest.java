package peft4j.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which state Adafactor keeps for which shapes, and the option checks that catch convention mix-ups. */
class AdafactorOptionsTest {

    @Test
    void factorsEveryTensorOfTwoOrMoreDimsOverItsLastTwo() {
        Adafactor optimizer = Adafactor.builder().build();
        assertThat(optimizer.stateShapes(new Shape(20, 64)))
                .containsExactly(Map.entry(Adafactor.ROW, new Shape(20)), Map.entry(Adafactor.COLUMN, new Shape(64)));
        assertThat(optimizer.stateShapes(new Shape(2, 4, 3))).containsExactly(
                Map.entry(Adafactor.ROW, new Shape(2, 4)), Map.entry(Adafactor.COLUMN, new Shape(2, 3)));
        assertThat(optimizer.stateShapes(new Shape(7))).containsExactly(Map.entry(Adafactor.FULL, new Shape(7)));
    }

    @Test
    void unfactoredKeepsAFullSecondMomentForEveryShape() {
        Adafactor optimizer = Adafactor.builder().optFactored(false).build();
        assertThat(optimizer.stateShapes(new Shape(20, 64)))
                .containsExactly(Map.entry(Adafactor.FULL, new Shape(20, 64)));
    }

    @Test
    void decayRateWithTheMeshTensorflowSignIsRejected() {
        assertThatThrownBy(() -> Adafactor.builder().optDecayRate(0.8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.8");
    }

    @Test
    void nonPositiveClipThresholdIsRejected() {
        assertThatThrownBy(() -> Adafactor.builder().optClipThreshold(0f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
