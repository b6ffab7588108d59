package peft4j.method.design;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import peft4j.api.Adapter;
import peft4j.api.AttachContext;
import peft4j.api.TaskContext;
import peft4j.api.UserError;

class PromptDesignTest {

    private static TaskContext withDemonstrations(List<String> demonstrations) {
        return new TaskContext(List.of(), new long[0], t -> new long[0], demonstrations);
    }

    @Test
    void zeroShotLeavesTheTextAndTrainsNothing() {
        Adapter adapter = new PromptDesign().attach(null, new PromptDesignConfig(0),
                new AttachContext(null, 1, TaskContext.NONE));
        assertThat(adapter.transformText("good. It was [MASK].")).isEqualTo("good. It was [MASK].");
        assertThat(adapter.trainableTensors()).isEmpty();
        assertThat(adapter.tunableParameterCount()).isZero();
    }

    @Test
    void kShotPrependsKDemonstrationsChosenBySeed() {
        TaskContext task = withDemonstrations(List.of("a. It was great.", "b. It was terrible.", "c. It was great."));
        Adapter first = new PromptDesign().attach(null, new PromptDesignConfig(2), new AttachContext(null, 5, task));
        Adapter again = new PromptDesign().attach(null, new PromptDesignConfig(2), new AttachContext(null, 5, task));
        String text = first.transformText("d. It was [MASK].");
        assertThat(text).endsWith(" d. It was [MASK].").isEqualTo(again.transformText("d. It was [MASK]."));
        assertThat(text.split("It was ")).hasSize(4);
    }

    @Test
    void askingForMoreShotsThanExamplesIsAClearError() {
        assertThatThrownBy(() -> new PromptDesign().attach(null, new PromptDesignConfig(3),
                new AttachContext(null, 1, withDemonstrations(List.of("x"))))).isInstanceOf(UserError.class)
                .hasMessageContaining("3 demonstrations");
        assertThatThrownBy(() -> new PromptDesignConfig(-1)).isInstanceOf(UserError.class);
    }
}
