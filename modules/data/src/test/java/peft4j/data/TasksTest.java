package peft4j.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import peft4j.api.UserError;

class TasksTest {

    @Test
    void listsTheBuiltInTasks() {
        assertThat(Tasks.names()).contains("polarity");
        assertThat(Tasks.sources()).containsOnlyKeys(Tasks.names());
    }

    @Test
    void everyRegisteredTaskHasAValidDefinitionFile() {
        for (String name : Tasks.names()) {
            assertThat(Tasks.get(name).name()).isEqualTo(name);
            assertThat(Tasks.source(name).task()).isEqualTo(Tasks.get(name));
        }
    }

    @Test
    void unknownTaskNamesTheKnownOnes() {
        assertThatThrownBy(() -> Tasks.get("sst2"))
                .isInstanceOf(UserError.class)
                .hasMessage("unknown task 'sst2'; known tasks: " + String.join(", ", Tasks.names()));
    }

    @Test
    void everyTaskNamesAKnownMetricAndSaysHowItWasBuilt() {
        for (String name : Tasks.names()) {
            assertThat(peft4j.data.metrics.Metrics.NAMES).as(name).contains(Tasks.get(name).metric());
            assertThat(Tasks.get(name).construction()).as(name).isNotBlank();
        }
    }
}
